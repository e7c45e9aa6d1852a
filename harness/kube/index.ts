/** Kubernetes access for the runner: client-node 2.x only, no kubectl subprocess. */
export { createKubeClient, type KubeClient } from './kube-client.ts';
export { loadKubeConfig, type KubeConfigSource } from './kube-config.ts';
export { createKubeExecTransport, type KubeExecTransportOptions } from './kube-exec-transport.ts';
export { createObjectStore, type ObjectStore } from './object-store.ts';
export { parseManifest, inNamespace, withLabels, objectKey, describeObject, isClusterScoped, type KubeObject } from './manifest-objects.ts';
export { ensureNamespace, deleteOwnedNamespace, namespaceLabels, type NamespaceRequest } from './namespaces.ts';
export { waitForRollout, rolloutState, type RolloutState, type WaitOptions } from './rollout.ts';
export { serviceClusterIp } from './service-ip.ts';
export { FIELD_MANAGER, MANAGED_BY, MANAGED_BY_VALUE, RUN, SCENARIO, ownedLabels, isOwned } from './labels.ts';
