import type { ClusterHandle, EnsureClusterOptions } from './cluster-handle.ts';
import { adoptExistingCluster } from './existing-cluster.ts';
import { KindCluster } from './kind-cluster.ts';

export type { ClusterHandle, EnsureClusterOptions } from './cluster-handle.ts';

/** Create-or-reuse a kind cluster by name, or adopt an existing kubeconfig/context. */
export async function ensureCluster(opts: EnsureClusterOptions): Promise<ClusterHandle> {
  if (opts.provider === 'kind') return KindCluster.fromOptions(opts).ensure();
  return adoptExistingCluster(opts);
}
