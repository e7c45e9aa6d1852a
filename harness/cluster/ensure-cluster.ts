import type { ClusterHandle, EnsureClusterOptions } from './cluster-handle.ts';

export type { ClusterHandle, EnsureClusterOptions } from './cluster-handle.ts';

/** Create-or-reuse a kind cluster by name, or adopt an existing kubeconfig/context. */
export async function ensureCluster(opts: EnsureClusterOptions): Promise<ClusterHandle> {
  throw new Error(`ensureCluster(${opts.provider}): being implemented by E1`);
}
