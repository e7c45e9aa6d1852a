/** Cluster providers (kind, existing) and image preloading, for the runner. */
export { ensureCluster } from './ensure-cluster.ts';
export { KindCluster } from './kind-cluster.ts';
export { adoptExistingCluster } from './existing-cluster.ts';
export type { ClusterHandle, EnsureClusterOptions, KindClusterOptions, ExistingClusterOptions } from './cluster-handle.ts';
export { preloadImages, pullMissing, type PreloadImagesOptions, type PreloadResult } from './preload-images.ts';
export { collectImages, imagesIn } from './collect-images.ts';
export { assertPinnedForKind } from './image-ref.ts';
export { DEFAULT_HOST_PORTS, INGRESS_NODE_PORTS, kindClusterConfig, type HostPorts } from './kind-config.ts';
export { kindArgs, kindContext, kindControlPlane } from './kind-commands.ts';
