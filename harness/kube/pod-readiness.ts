import type { V1Pod } from '@kubernetes/client-node';

export type PodReadiness = { ready: boolean; problems: string[] };

/**
 * Whether every container of a pod is ready, the sidecar included. With native sidecars (Istio
 * 1.27+ `ENABLE_NATIVE_SIDECARS=auto` on a kubelet >= 1.33: pilot/pkg/features/pilot.go and
 * DetectNativeSidecar in pkg/kube/inject/webhook.go at 1.27.0) istio-proxy is an
 * init container with restartPolicy Always, so it is not in .spec.containers: those init
 * containers count as long-running containers here, ordinary init containers only need to have
 * finished.
 */
export function podReadiness(pod: V1Pod): PodReadiness {
  const name = pod.metadata?.name ?? '(unnamed pod)';
  const problems: string[] = [];
  if (pod.metadata?.deletionTimestamp) problems.push(`${name} is terminating`);
  if (pod.status?.phase !== 'Running') problems.push(`${name} is ${pod.status?.phase ?? 'without a phase'}`);

  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const initStatuses = new Map((pod.status?.initContainerStatuses ?? []).map((s) => [s.name, s]));
  const describe = (
    s: { state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode: number } } } | undefined,
  ): string => {
    if (!s) return 'no status yet';
    if (s.state?.waiting)
      return `waiting: ${s.state.waiting.reason ?? ''}${s.state.waiting.message ? ` (${s.state.waiting.message})` : ''}`;
    if (s.state?.terminated) return `terminated: ${s.state.terminated.reason ?? ''} exit ${s.state.terminated.exitCode}`;
    return 'running, not ready';
  };

  for (const c of pod.spec?.initContainers ?? []) {
    const s = initStatuses.get(c.name);
    if (c.restartPolicy === 'Always') {
      if (!s?.ready) problems.push(`${name}: sidecar ${c.name} not ready (${describe(s)})`);
    } else if (!(s?.state?.terminated && s.state.terminated.exitCode === 0)) {
      problems.push(`${name}: init container ${c.name} not finished (${describe(s)})`);
    }
  }
  for (const c of pod.spec?.containers ?? []) {
    const s = statuses.get(c.name);
    if (!s?.ready) problems.push(`${name}: container ${c.name} not ready (${describe(s)})`);
  }
  return { ready: problems.length === 0, problems };
}

/** The names of every long-running container of the pod (main containers and native sidecars). */
export function runningContainerNames(pod: V1Pod): string[] {
  return [
    ...(pod.spec?.containers ?? []).map((c) => c.name),
    ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
  ];
}
