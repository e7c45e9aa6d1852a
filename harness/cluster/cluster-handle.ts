import type { CommandRunner, ProgressFn } from '../tools/command-runner.ts';
import type { HostPorts } from './kind-config.ts';

/** A cluster the run can use, whichever provider made it available. */
export type ClusterHandle = {
  provider: 'kind' | 'existing';
  /** kind cluster name, or the context name of an existing cluster. */
  name: string;
  /** A kubeconfig file only this run reads (kind: written into the run folder; existing: the user's). */
  kubeconfigPath: string;
  /** Context inside kubeconfigPath (kind: `kind-<name>`). */
  context?: string;
  /** True when this call created the cluster; false when it reused one. */
  created: boolean;
  /** Whether the harness may install or uninstall Istio here (kind: always; existing: --manage-istio). */
  manageIstio: boolean;
  /** How the host reaches the ingress gateway; unknown for an existing cluster unless told. */
  ingress?: { host: string; httpPort: number; httpsPort: number; statusPort: number };
  /** Docker network of the nodes (kind: `kind`), for external services started beside them. */
  dockerNetwork?: string;
  /** The kind binary that manages this cluster (kind only; used by preloadImages). */
  kindPath?: string;
  /** Deletes the cluster (kind); a no-op for an existing cluster, which is never ours to delete. */
  delete(): Promise<void>;
  /** The command a user runs to clean up after `--keep`. */
  cleanupCommand: string;
};

export type KindClusterOptions = {
  provider: 'kind';
  /** kind cluster name; create-or-reuse by this name. */
  name: string;
  /** Run folder: the kubeconfig and kind config are written here. */
  runDir: string;
  /** Node image (default KIND_NODE_IMAGE, pinned by digest). */
  image?: string;
  hostPorts?: HostPorts;
  /** kind binary; default: resolveTool('kind', kindVersion ?? KIND_VERSION). */
  kindPath?: string;
  kindVersion?: string;
  mirror?: string;
  cacheDir?: string;
  /** `kind create cluster --wait` (default 5 minutes). */
  waitMs?: number;
  onProgress?: ProgressFn;
  runner?: CommandRunner;
  /** Record "created by run <runId>" in this folder before `kind create` (see cluster-claims.ts). */
  claims?: { dir: string; runId: string };
  /** Folder for the kubeconfig (default runDir); the run puts it outside the report folder CI uploads. */
  kubeconfigDir?: string;
};

export type ExistingClusterOptions = {
  provider: 'existing';
  runDir: string;
  /** Default: $KUBECONFIG's first file, else ~/.kube/config. */
  kubeconfig?: string;
  /** Default: the kubeconfig's current context. */
  context?: string;
  manageIstio: boolean;
  /** The run's id: the printed cleanup command deletes only this run's namespaces. */
  runId?: string;
  /** Where the gateway is reachable from the host, when the user knows it. */
  ingress?: { host: string; httpPort: number; httpsPort: number; statusPort: number };
  onProgress?: ProgressFn;
};

export type EnsureClusterOptions = KindClusterOptions | ExistingClusterOptions;
