import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ExecTransport } from '../model/exec.ts';
import { createKubeExecTransport, type KubeExecTransportOptions } from './kube-exec-transport.ts';
import { loadKubeConfig, type KubeConfigSource } from './kube-config.ts';
import { deleteOwnedNamespace, ensureNamespace, type NamespaceRequest } from './namespaces.ts';
import { createObjectStore, type ObjectStore } from './object-store.ts';
import { waitForRollout, type RolloutState, type WaitOptions } from './rollout.ts';
import { InfrastructureError } from '../model/errors.ts';
import { describeApiError } from './api-error.ts';

/** Everything the runner does to a cluster, through the Kubernetes API (no kubectl). */
export type KubeClient = {
  readonly kubeConfig: KubeConfig;
  readonly objects: ObjectStore;
  transport(opts?: KubeExecTransportOptions): ExecTransport;
  ensureNamespace(req: NamespaceRequest): Promise<'created' | 'recreated'>;
  deleteNamespace(name: string): Promise<'deleted' | 'absent' | 'not-ours'>;
  waitForRollout(namespace: string, name: string, opts?: WaitOptions): Promise<RolloutState>;
  serviceClusterIp(namespace: string, name: string): Promise<string>;
};

/** With `runId`, namespaces are deleted only when they carry that run's label (see deleteOwnedNamespace). */
export function createKubeClient(source: KubeConfigSource | KubeConfig, scope: { runId?: string } = {}): KubeClient {
  const kc = 'makeApiClient' in source ? source : loadKubeConfig(source);
  return {
    kubeConfig: kc,
    objects: createObjectStore(kc),
    transport: (opts) => createKubeExecTransport(kc, opts),
    ensureNamespace: (req) => ensureNamespace(kc, req),
    deleteNamespace: (name) => deleteOwnedNamespace(kc, name, scope.runId),
    waitForRollout: (namespace, name, opts) => waitForRollout(kc, namespace, name, opts),
    serviceClusterIp: (namespace, name) => serviceClusterIp(kc, namespace, name),
  };
}

/** The Service's ClusterIP, for `${service.<ns>/<name>.clusterIP}` placeholders. */
export async function serviceClusterIp(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  let ip: string | undefined;
  try {
    ip = (await kc.makeApiClient(CoreV1Api).readNamespacedService({ name, namespace })).spec?.clusterIP;
  } catch (e) {
    throw new InfrastructureError(
      `could not read service ${namespace}/${name}: ${describeApiError(e)}`,
      "is the service part of the scenario's workloads?",
      { cause: e },
    );
  }
  if (ip === undefined || ip === '' || ip === 'None') {
    throw new InfrastructureError(`service ${namespace}/${name} has no ClusterIP (${ip ?? 'unset'}; a headless service?)`);
  }
  return ip;
}
