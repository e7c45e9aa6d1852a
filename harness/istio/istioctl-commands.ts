/**
 * argv for istioctl, flags as defined in istio/istio 1.29.6 and 1.30.3:
 *   operator/cmd/mesh/install.go    -f/--filename, --readiness-timeout (a duration, default 300s), -y/--skip-confirmation
 *   operator/cmd/mesh/uninstall.go  --purge, -y/--skip-confirmation
 *   istioctl/pkg/cli/option.go      root flags --kubeconfig and --context
 * istioctl waits for its own resources up to --readiness-timeout; casebook checks readiness again
 * afterwards so the error names the deployment that was not ready.
 */
/** istioctl's own --readiness-timeout default (install.go: 300*time.Second); ours too. */
export const DEFAULT_READINESS_TIMEOUT_MS = 300_000;

/** The rendered IstioOperator's file name in the run folder. */
export function operatorFileName(hash: string): string {
  return `istio-operator-${hash}.yaml`;
}

export type KubeTarget = { kubeconfigPath: string; context?: string | undefined };

function target(t: KubeTarget): string[] {
  return ['--kubeconfig', t.kubeconfigPath, ...(t.context ? ['--context', t.context] : [])];
}

export const istioctlArgs = {
  install: (o: { operatorPath: string; readinessTimeoutMs: number } & KubeTarget): string[] => [
    'install',
    '-y',
    '-f',
    o.operatorPath,
    '--readiness-timeout',
    `${Math.ceil(o.readinessTimeoutMs / 1000)}s`,
    ...target(o),
  ],
  uninstall: (t: KubeTarget): string[] => ['uninstall', '--purge', '-y', ...target(t)],
};
