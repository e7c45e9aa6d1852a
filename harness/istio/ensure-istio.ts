import type { MeshRequirements } from '../model/scenario.ts';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import type { CommandRunner, ProgressFn } from '../tools/command-runner.ts';

export type EnsureIstioOptions = {
  cluster: ClusterHandle;
  /** Istio version, as tagged (e.g. '1.30.3'). */
  version: string;
  mesh: MeshRequirements;
  /** Parsed manifests/mesh/<profile>.yaml; default: read from the repository. */
  baseProfile?: Record<string, unknown>;
  /** Run folder: the rendered IstioOperator is written here. */
  runDir: string;
  /** istioctl binary; default: resolveTool('istioctl', version). */
  istioctlPath?: string;
  mirror?: string;
  cacheDir?: string;
  /** Wait for istiod and the ingress gateway (default 5 minutes). */
  readinessTimeoutMs?: number;
  onProgress?: ProgressFn;
  runner?: CommandRunner;
};

export type IstioInstall = {
  version: string;
  /** installHash(iop, version) */
  hash: string;
  /** The IstioOperator file given to istioctl. */
  operatorPath: string;
  action: 'reused' | 'installed' | 'reinstalled';
  /** `istioctl uninstall --purge -y`; refused on an existing cluster without --manage-istio. */
  uninstall(): Promise<void>;
};

/** Install Istio with the scenario's mesh, or reuse an install whose config hash matches. */
export async function ensureIstio(opts: EnsureIstioOptions): Promise<IstioInstall> {
  throw new Error(`ensureIstio(${opts.version}): being implemented by E1`);
}
