import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { MeshRequirements } from '../model/scenario.ts';
import { InfrastructureError, PrerequisiteError } from '../model/errors.ts';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import { loadKubeConfig } from '../kube/kube-config.ts';
import { execaRunner, type CommandRunner, type ProgressFn } from '../tools/command-runner.ts';
import { resolveTool } from '../tools/resolve-tool.ts';
import { decideInstall, type InstallRecord } from './install-decision.ts';
import { kubeIstioApi, type IstioClusterApi } from './install-store.ts';
import { DEFAULT_READINESS_TIMEOUT_MS, istioctlArgs, operatorFileName } from './istioctl-commands.ts';
import { loadMeshProfile } from './mesh-profile.ts';
import { INGRESS_GATEWAY_NAME, installHash, istioOperatorFor } from './operator.ts';

export type EnsureIstioOptions = {
  cluster: ClusterHandle;
  /** Istio version, as tagged (e.g. '1.30.3'). */
  version: string;
  mesh: MeshRequirements;
  /** Parsed manifests/mesh/<profile>.yaml; default: read from the repository. */
  baseProfile?: Record<string, unknown>;
  /** Run folder: the rendered IstioOperator is written here. */
  runDir: string;
  /** istioctl binary; default: resolveTool('istioctl', version). */
  istioctlPath?: string;
  mirror?: string;
  cacheDir?: string;
  /** Wait for istiod and the ingress gateway (default 5 minutes). */
  readinessTimeoutMs?: number;
  onProgress?: ProgressFn;
  runner?: CommandRunner;
  /** Default: the Kubernetes API of `cluster` (tests inject a fake). */
  api?: IstioClusterApi;
};

export type IstioInstall = {
  version: string;
  /** installHash(iop, version) */
  hash: string;
  /** The IstioOperator file given to istioctl. */
  operatorPath: string;
  action: 'reused' | 'installed' | 'reinstalled';
  /** `istioctl uninstall --purge -y`; refused on an existing cluster without --manage-istio. */
  uninstall(): Promise<void>;
};

/** The deployments a usable install has: the control plane and the gateway scenarios call through. */
export const ISTIO_DEPLOYMENTS = ['istiod', INGRESS_GATEWAY_NAME] as const;

/** Install Istio with the scenario's mesh, or reuse an install whose config hash matches. */
export async function ensureIstio(opts: EnsureIstioOptions): Promise<IstioInstall> {
  const progress = opts.onProgress ?? (() => {});
  const runner = opts.runner ?? execaRunner;
  const timeoutMs = opts.readinessTimeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  const { cluster, version } = opts;
  const baseProfile = opts.baseProfile ?? (await loadMeshProfile(opts.mesh.profile));
  const operator = istioOperatorFor(opts.mesh, { version, baseProfile });
  const wanted: InstallRecord = { hash: installHash(operator, version), version, profile: opts.mesh.profile };
  await mkdir(opts.runDir, { recursive: true });
  const operatorPath = join(opts.runDir, operatorFileName(wanted.hash));
  await writeFile(operatorPath, stringify(operator));

  const api = opts.api ?? kubeIstioApi(loadKubeConfig({ kubeconfig: cluster.kubeconfigPath, context: cluster.context }));
  const decision = decideInstall(await api.readRecord(), wanted, {
    istiodPresent: await api.istiodPresent(),
    manageIstio: cluster.manageIstio,
    name: cluster.name,
  });
  progress(`Istio ${version} on ${cluster.name}: ${decision.action} (${decision.reason})`);

  let istioctl: string | undefined = opts.istioctlPath;
  const getIstioctl = async () =>
    (istioctl ??= (
      await resolveTool('istioctl', version, {
        mirror: opts.mirror,
        cacheDir: opts.cacheDir,
        onProgress: progress,
        runner,
      })
    ).path);
  const kube = { kubeconfigPath: cluster.kubeconfigPath, context: cluster.context };
  const run = async (args: string[], what: string) => {
    const binary = await getIstioctl();
    let r;
    try {
      r = await runner(binary, args, { onLine: (l) => progress(l) });
    } catch (err) {
      throw new InfrastructureError(
        `could not run ${binary} ${what}: ${(err as Error).message}`,
        'check the istioctl binary, or remove it from PATH so the harness downloads a verified one',
        { cause: err },
      );
    }
    if (r.exitCode !== 0) {
      const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-8).join('\n');
      throw new InfrastructureError(
        `istioctl ${what} failed (exit ${r.exitCode}) on ${cluster.name}:\n${tail}`,
        `the IstioOperator is in ${operatorPath}; look at kubectl -n istio-system get pods,events`,
      );
    }
  };
  const uninstall = async () => {
    if (!cluster.manageIstio) {
      throw new PrerequisiteError(`refusing to uninstall Istio from ${cluster.name}`, 'pass --manage-istio to allow it');
    }
    progress(`uninstalling Istio from ${cluster.name}`);
    await run(istioctlArgs.uninstall(kube), 'uninstall');
    await api.deleteRecord();
  };

  if (decision.action !== 'reuse') {
    if (decision.uninstallFirst) await uninstall();
    // The record goes away first: an install interrupted half-way must not look reusable.
    await api.deleteRecord();
    await run(istioctlArgs.install({ operatorPath, readinessTimeoutMs: timeoutMs, ...kube }), 'install');
  }
  await api.waitReady(ISTIO_DEPLOYMENTS, timeoutMs);
  if (decision.action !== 'reuse') await api.writeRecord(wanted, operator);
  return {
    version,
    hash: wanted.hash,
    operatorPath,
    action: decision.action === 'reuse' ? 'reused' : decision.action === 'install' ? 'installed' : 'reinstalled',
    uninstall,
  };
}
