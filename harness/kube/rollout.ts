import { AppsV1Api, CoreV1Api, Watch, type KubeConfig, type V1Deployment, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
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
    return {
      done: false,
      detail: `deployment ${name}: waiting for the controller to observe generation ${deployment.metadata?.generation}`,
    };
  }
  if ((st.updatedReplicas ?? 0) < want)
    return { done: false, detail: `deployment ${name}: ${st.updatedReplicas ?? 0} of ${want} replicas updated` };
  if ((st.replicas ?? 0) > (st.updatedReplicas ?? 0)) {
    return {
      done: false,
      detail: `deployment ${name}: ${(st.replicas ?? 0) - (st.updatedReplicas ?? 0)} old replicas pending termination`,
    };
  }
  if ((st.availableReplicas ?? 0) < want)
    return { done: false, detail: `deployment ${name}: ${st.availableReplicas ?? 0} of ${want} updated replicas available` };

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
  /** Pause before listing again after a watch failed or the API could not be read (default 1 s). */
  intervalMs?: number;
  expectSidecar?: boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

type WatchEnd = { ok: boolean; why?: string };

/**
 * Waits until rolloutState says done, by watching: it reads the Deployment and lists its pods
 * once, then follows both through Kubernetes watches (from the resourceVersion it read, as an
 * informer does) and judges again on every event, so it returns as soon as the last container
 * turns ready instead of at the next 1 s poll. A watch that ends (the server's timeout, a 410 Gone,
 * a dropped connection) means list again and watch from there; a watch the server refuses means a
 * pause of `intervalMs` and a new list, so at worst this is the old 1 s polling. At the deadline:
 * InfrastructureError naming what was not ready.
 */
export async function waitForRollout(kc: KubeConfig, namespace: string, name: string, opts: WaitOptions = {}): Promise<RolloutState> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const intervalMs = opts.intervalMs ?? 1000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + timeoutMs;
  const watch = new Watch(kc);
  const open = new Set<AbortController>();
  let last = `deployment ${namespace}/${name}: not read yet`;
  let settled: RolloutState | undefined;
  let expired = false;
  let wake: (() => void) | undefined;
  const timer = setTimeout(() => {
    expired = true;
    for (const c of open) c.abort();
    wake?.();
  }, timeoutMs);
  timer.unref?.();
  const timedOut = () => expired || now() >= deadline;

  try {
    while (!settled && !timedOut()) {
      let deployment: V1Deployment | undefined;
      const pods = new Map<string, V1Pod>();
      let end: WatchEnd;
      try {
        deployment = await apps.readNamespacedDeployment({ name, namespace });
        const selector = selectorString(deployment.spec?.selector);
        const list = await core.listNamespacedPod({ namespace, labelSelector: selector });
        for (const p of list.items) pods.set(p.metadata?.name ?? '', p);
        const judge = (): boolean => {
          if (!deployment) {
            last = `deployment ${namespace}/${name} was deleted`;
            return false;
          }
          const state = rolloutState(deployment, [...pods.values()], { expectSidecar: opts.expectSidecar });
          last = state.detail;
          if (state.done) settled = state;
          return state.done;
        };
        if (judge() || timedOut()) break;
        const started = now();
        end = await new Promise<WatchEnd>((resolve) => {
          let finished = false;
          const controllers: AbortController[] = [];
          const finish = (e: WatchEnd) => {
            if (finished) return;
            finished = true;
            wake = undefined;
            for (const c of controllers) {
              c.abort();
              open.delete(c);
            }
            resolve(e);
          };
          wake = () => finish({ ok: true });
          const onEvent =
            <T extends V1Deployment | V1Pod>(apply: (type: string, o: T) => void) =>
            (type: string, o: T) => {
              if (type === 'ERROR') {
                finish({ ok: false, why: `watch error: ${(o as { message?: string }).message ?? 'no message'}` });
                return;
              }
              if (type === 'BOOKMARK') return;
              apply(type, o);
              if (judge()) finish({ ok: true });
            };
          const remaining = Math.max(1, Math.ceil((deadline - now()) / 1000));
          const follow = (
            path: string,
            query: Record<string, string | number | boolean>,
            cb: (type: string, o: V1Deployment | V1Pod) => void,
          ) => {
            watch
              .watch(path, { ...query, allowWatchBookmarks: true, timeoutSeconds: remaining }, cb, (err: unknown) =>
                finish(err ? { ok: false, why: `watch ended: ${err instanceof Error ? err.message : String(err)}` } : { ok: true }),
              )
              .then((c) => {
                controllers.push(c);
                open.add(c);
                if (finished) c.abort();
              })
              .catch((e: unknown) => finish({ ok: false, why: `watch failed: ${describeApiError(e)}` }));
          };
          follow(
            `/apis/apps/v1/namespaces/${namespace}/deployments`,
            {
              fieldSelector: `metadata.name=${name}`,
              ...(deployment?.metadata?.resourceVersion ? { resourceVersion: deployment.metadata.resourceVersion } : {}),
            },
            onEvent<V1Deployment>((type, o) => {
              deployment = type === 'DELETED' ? undefined : o;
            }) as (type: string, o: V1Deployment | V1Pod) => void,
          );
          follow(
            `/api/v1/namespaces/${namespace}/pods`,
            { labelSelector: selector, ...(list.metadata?.resourceVersion ? { resourceVersion: list.metadata.resourceVersion } : {}) },
            onEvent<V1Pod>((type, o) => {
              if (type === 'DELETED') pods.delete(o.metadata?.name ?? '');
              else pods.set(o.metadata?.name ?? '', o);
            }) as (type: string, o: V1Deployment | V1Pod) => void,
          );
        });
        // A watch that ran a while and ended normally: list again at once; a refused or failing one: pause first.
        if (end.ok && now() - started >= intervalMs) continue;
      } catch (e) {
        last = `deployment ${namespace}/${name}: ${describeApiError(e)}`;
      }
      if (settled || timedOut()) break;
      await sleep(intervalMs);
    }
  } finally {
    clearTimeout(timer);
    for (const c of open) c.abort();
  }
  if (settled) return settled;
  throw new InfrastructureError(
    `not rolled out after ${formatSeconds(timeoutMs)}: ${last}`,
    `look at the pods: kubectl -n ${namespace} describe pods; kubectl -n ${namespace} get events`,
  );
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
