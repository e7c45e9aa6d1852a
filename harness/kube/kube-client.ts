import type { KubeConfig } from '@kubernetes/client-node';
import type { ExecTransport } from '../model/exec.ts';
import { createKubeExecTransport, type KubeExecTransportOptions } from './kube-exec-transport.ts';
import { loadKubeConfig, type KubeConfigSource } from './kube-config.ts';
import { deleteOwnedNamespace, ensureNamespace, type NamespaceRequest } from './namespaces.ts';
import { createObjectStore, type ObjectStore } from './object-store.ts';
import { waitForRollout, type RolloutState, type WaitOptions } from './rollout.ts';
import { serviceClusterIp } from './service-ip.ts';

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
