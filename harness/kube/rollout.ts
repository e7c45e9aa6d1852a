import { AppsV1Api, CoreV1Api, type KubeConfig, type V1Deployment, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import { InfrastructureError } from '../model/errors.ts';
import { describeApiError } from './api-error.ts';
import { podReadiness, runningContainerNames } from './pod-readiness.ts';

export type RolloutState = { done: boolean; detail: string };

/**
 * A Deployment has rolled out when the controller saw the latest spec, every replica is updated
 * and available, no old replica is left (kubectl rollout status' rules), and every live pod has
 * all of its containers ready, the istio-proxy sidecar included. With `expectSidecar`, a pod
 * without istio-proxy is a failure: it was created before injection worked, and probing it would
 * say nothing about the mesh.
 */
export function rolloutState(deployment: V1Deployment, pods: readonly V1Pod[], opts: { expectSidecar?: boolean } = {}): RolloutState {
  const name = `${deployment.metadata?.namespace}/${deployment.metadata?.name}`;
  const want = deployment.spec?.replicas ?? 1;
  const st = deployment.status ?? {};
  const failed = st.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  if (failed) return { done: false, detail: `deployment ${name} exceeded its progress deadline: ${failed.message ?? ''}` };
  if ((st.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0)) {
    return { done: false, detail: `deployment ${name}: waiting for the controller to observe generation ${deployment.metadata?.generation}` };
  }
  if ((st.updatedReplicas ?? 0) < want) return { done: false, detail: `deployment ${name}: ${st.updatedReplicas ?? 0} of ${want} replicas updated` };
  if ((st.replicas ?? 0) > (st.updatedReplicas ?? 0)) {
    return { done: false, detail: `deployment ${name}: ${(st.replicas ?? 0) - (st.updatedReplicas ?? 0)} old replicas pending termination` };
  }
  if ((st.availableReplicas ?? 0) < want) return { done: false, detail: `deployment ${name}: ${st.availableReplicas ?? 0} of ${want} updated replicas available` };

  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const problems: string[] = [];
  for (const pod of live) {
    problems.push(...podReadiness(pod).problems);
    if (opts.expectSidecar && !runningContainerNames(pod).includes('istio-proxy')) {
      problems.push(`${pod.metadata?.name}: no istio-proxy container (sidecar injection did not happen)`);
    }
  }
  if (live.length < want) problems.push(`${live.length} of ${want} pods exist`);
  if (problems.length > 0) return { done: false, detail: `deployment ${name}: ${problems.join('; ')}` };
  return { done: true, detail: `deployment ${name}: ${want} of ${want} pods ready with all containers` };
}

/** "app=httpbin,version in (v1,v2)" */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export type WaitOptions = {
  timeoutMs?: number;
  intervalMs?: number;
  expectSidecar?: boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

/** Polls until rolloutState says done; InfrastructureError naming what was not ready at the deadline. */
export async function waitForRollout(kc: KubeConfig, namespace: string, name: string, opts: WaitOptions = {}): Promise<RolloutState> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const deployment = await apps.readNamespacedDeployment({ name, namespace });
      const pods = await core.listNamespacedPod({ namespace, labelSelector: selectorString(deployment.spec?.selector) });
      const state = rolloutState(deployment, pods.items, { expectSidecar: opts.expectSidecar });
      if (state.done) return state;
      last = state.detail;
    } catch (e) {
      last = `deployment ${namespace}/${name}: ${describeApiError(e)}`;
    }
    if (now() >= deadline) {
      throw new InfrastructureError(`not rolled out after ${Math.round(timeoutMs / 1000)}s: ${last}`,
        `look at the pods: kubectl -n ${namespace} describe pods; kubectl -n ${namespace} get events`);
    }
    await sleep(opts.intervalMs ?? 1000);
  }
}
