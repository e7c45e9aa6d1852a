import { AppsV1Api, CoreV1Api, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { InfrastructureError, PrerequisiteError } from '../model/errors.ts';
import { MANAGED_BY, MANAGED_BY_VALUE } from '../kube/labels.ts';
import { waitForRollout } from '../kube/rollout.ts';
import { isConflict, isNotFound } from '../kube/api-error.ts';
import type { InstallRecord } from './install-decision.ts';
import { MESH_CONFIG_KEY, MESH_CONFIG_MAP, ORIGINAL_MESH_ANNOTATION, type MeshConfigApi } from './mesh-config.ts';

export const ISTIO_NAMESPACE = 'istio-system';
export const INSTALL_RECORD_NAME = 'casebook-install';
const HASH = 'casebook.dev/install-hash';
const VERSION = 'casebook.dev/istio-version';
const PROFILE = 'casebook.dev/mesh-profile';

/** The cluster side of ensureIstio, behind an interface so the install logic is tested without a cluster. */
export type IstioClusterApi = {
  readRecord(): Promise<InstallRecord | undefined>;
  writeRecord(record: InstallRecord, operator: Record<string, unknown>): Promise<void>;
  deleteRecord(): Promise<void>;
  istiodPresent(): Promise<boolean>;
  /** Resolves when every deployment is rolled out; throws InfrastructureError naming those that are not. */
  waitReady(deployments: readonly string[], timeoutMs: number): Promise<void>;
};

/** The record lives in a ConfigMap we own, in istio-system, labelled as ours. */
export function recordConfigMap(record: InstallRecord, operator: Record<string, unknown>): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: INSTALL_RECORD_NAME,
      namespace: ISTIO_NAMESPACE,
      labels: { [MANAGED_BY]: MANAGED_BY_VALUE },
      annotations: { [HASH]: record.hash, [VERSION]: record.version, [PROFILE]: record.profile },
    },
    // For people: what was installed, readable with kubectl -n istio-system get cm casebook-install -o yaml.
    data: { 'istio-operator.yaml': stringify(operator) },
  };
}

export function recordFrom(cm: V1ConfigMap): InstallRecord | undefined {
  const a = cm.metadata?.annotations ?? {};
  if (cm.metadata?.labels?.[MANAGED_BY] !== MANAGED_BY_VALUE || !a[HASH] || !a[VERSION]) return undefined;
  return { hash: a[HASH], version: a[VERSION], profile: a[PROFILE] ?? '' };
}

export function kubeIstioApi(kc: KubeConfig): IstioClusterApi {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const ns = ISTIO_NAMESPACE;
  /** The record ConfigMap when it is ours; undefined when absent; a refusal when it lacks our label. */
  const readOurs = async (what: 'replace' | 'delete'): Promise<V1ConfigMap | undefined> => {
    let cm: V1ConfigMap;
    try {
      cm = await core.readNamespacedConfigMap({ name: INSTALL_RECORD_NAME, namespace: ns });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (cm.metadata?.labels?.[MANAGED_BY] !== MANAGED_BY_VALUE) {
      throw new PrerequisiteError(
        `ConfigMap ${ns}/${INSTALL_RECORD_NAME} exists without the label ${MANAGED_BY}=${MANAGED_BY_VALUE}: it is not ours, so the casebook will not ${what} it`,
        `if it is a leftover you want gone, delete it yourself (kubectl -n ${ns} delete configmap ${INSTALL_RECORD_NAME}); otherwise run against another cluster`,
      );
    }
    return cm;
  };
  return {
    async readRecord() {
      try {
        return recordFrom(await core.readNamespacedConfigMap({ name: INSTALL_RECORD_NAME, namespace: ns }));
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async writeRecord(record, operator) {
      const body = recordConfigMap(record, operator);
      try {
        await core.createNamespacedConfigMap({ namespace: ns, body });
      } catch (e) {
        if (!isConflict(e)) throw e;
        // Replace only our own record, and only the version we read: a ConfigMap of that
        // name that someone else made is refused, never overwritten.
        const existing = await readOurs('replace');
        if (!existing) throw e;
        await core.replaceNamespacedConfigMap({
          name: INSTALL_RECORD_NAME,
          namespace: ns,
          body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion } },
        });
      }
    },
    async deleteRecord() {
      const existing = await readOurs('delete');
      if (!existing) return;
      try {
        // Preconditions: the object we checked, not one recreated by someone else in between.
        await core.deleteNamespacedConfigMap({
          name: INSTALL_RECORD_NAME,
          namespace: ns,
          body: { preconditions: { uid: existing.metadata?.uid, resourceVersion: existing.metadata?.resourceVersion } },
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
    async istiodPresent() {
      try {
        await apps.readNamespacedDeployment({ name: 'istiod', namespace: ns });
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    },
    async waitReady(deployments, timeoutMs) {
      const results = await Promise.allSettled(deployments.map((d) => waitForRollout(kc, ns, d, { timeoutMs })));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
      if (failures.length > 0) {
        throw new InfrastructureError(
          `Istio is not ready in ${ns}: ${failures.join('; ')}`,
          `look at the control plane: kubectl -n ${ns} get pods; kubectl -n ${ns} get events`,
        );
      }
    },
  };
}

/** The `istio` ConfigMap through the Kubernetes API: read-modify-replace, so a concurrent writer makes it fail, not lose. */
export function kubeMeshConfigApi(kc: KubeConfig, namespace = ISTIO_NAMESPACE, name = MESH_CONFIG_MAP): MeshConfigApi {
  const core = kc.makeApiClient(CoreV1Api);
  let last: V1ConfigMap | undefined;
  const read = async () => {
    try {
      last = await core.readNamespacedConfigMap({ name, namespace });
    } catch (e) {
      throw new InfrastructureError(
        `cannot read ConfigMap ${namespace}/${name} (the mesh config istiod watches): ${(e as Error).message}`,
        `look at kubectl -n ${namespace} get cm ${name}`,
        { cause: e },
      );
    }
    return last;
  };
  return {
    async read() {
      const cm = await read();
      return { mesh: cm.data?.[MESH_CONFIG_KEY] ?? '', original: cm.metadata?.annotations?.[ORIGINAL_MESH_ANNOTATION] };
    },
    async write(mesh, original) {
      const cm = structuredClone(last ?? (await read()));
      cm.data = { ...cm.data, [MESH_CONFIG_KEY]: mesh };
      const annotations = { ...cm.metadata?.annotations };
      if (original === undefined) delete annotations[ORIGINAL_MESH_ANNOTATION];
      else annotations[ORIGINAL_MESH_ANNOTATION] = original;
      cm.metadata = { ...cm.metadata, annotations };
      try {
        last = await core.replaceNamespacedConfigMap({ name, namespace, body: cm });
      } catch (e) {
        throw new InfrastructureError(
          `cannot write ConfigMap ${namespace}/${name}: ${(e as Error).message}`,
          `look at kubectl -n ${namespace} get cm ${name} -o yaml`,
          { cause: e },
        );
      }
    },
  };
}
