import { CoreV1Api, KubernetesObjectApi, type KubeConfig, type KubernetesObject, type V1Pod } from '@kubernetes/client-node';
import { InfrastructureError } from '../model/errors.ts';
import type { KubeObjectRef, KubeObservation, PodState } from '../model/observation.ts';
import { describeApiError, isNotFound } from './api-error.ts';

/**
 * Reads of cluster state a check judges (kube probes): does an object exist, and when did the
 * pods of a selector start. Plain API reads, no exec. Unit-tested against the fake API server
 * only (harness/kube/cluster-reads.test.ts): no cluster here.
 */
const describeRef = (r: KubeObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

function asObject(r: KubeObjectRef): KubernetesObject & { metadata: { name: string } } {
  return { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } };
}

/** "Unrecognized API version and kind" (no such API on this cluster): nothing of that kind can exist. */
function isUnknownKind(e: unknown): boolean {
  return e instanceof Error && /Unrecognized API version and kind/.test(e.message);
}

async function readObject(kc: KubeConfig, r: KubeObjectRef): Promise<KubernetesObject | undefined> {
  try {
    return await KubernetesObjectApi.makeApiClient(kc).read(asObject(r));
  } catch (e) {
    if (isNotFound(e) || isUnknownKind(e)) return undefined;
    throw new InfrastructureError(`could not read ${describeRef(r)}: ${describeApiError(e)}`, undefined, { cause: e });
  }
}

/** When the object last changed: the newest managedFields time, else its creation. */
function changedAt(o: KubernetesObject): string | undefined {
  const times = (o.metadata?.managedFields ?? [])
    .map((f) => f.time)
    .filter((t): t is Date => t !== undefined)
    .map((t) => new Date(t).toISOString());
  const created = o.metadata?.creationTimestamp ? new Date(o.metadata.creationTimestamp).toISOString() : undefined;
  return [...times, ...(created ? [created] : [])].sort().at(-1);
}

function podState(p: V1Pod): PodState {
  const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  return {
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    ...(p.status?.startTime ? { startTime: iso(p.status.startTime)! } : {}),
    containers: statuses
      .filter((c) => c.state?.terminated?.reason !== 'Completed' || c.restartCount > 0)
      .map((c) => ({
        name: c.name,
        restartCount: c.restartCount,
        ...(c.state?.running?.startedAt ? { startedAt: iso(c.state.running.startedAt)! } : {}),
      })),
  };
}

export async function observeKube(
  kc: KubeConfig,
  spec: { read: 'object'; object: KubeObjectRef } | { read: 'pods'; namespace: string; selector: string; since?: KubeObjectRef },
): Promise<KubeObservation> {
  if (spec.read === 'object') {
    return { kind: 'kube', read: 'object', object: describeRef(spec.object), exists: (await readObject(kc, spec.object)) !== undefined };
  }
  let pods: V1Pod[];
  try {
    pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: spec.namespace, labelSelector: spec.selector })).items;
  } catch (e) {
    throw new InfrastructureError(`could not list pods ${spec.selector} in ${spec.namespace}: ${describeApiError(e)}`, undefined, {
      cause: e,
    });
  }
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp).map(podState);
  if (!spec.since) return { kind: 'kube', read: 'pods', selector: `${spec.namespace}/${spec.selector}`, pods: live };
  const ref = await readObject(kc, spec.since);
  const at = ref && changedAt(ref);
  return {
    kind: 'kube',
    read: 'pods',
    selector: `${spec.namespace}/${spec.selector}`,
    pods: live,
    since: { object: describeRef(spec.since), changedAt: at },
  };
}
