import type { ClusterHandle } from './cluster-handle.ts';
import type { CommandRunner, ProgressFn } from '../tools/command-runner.ts';

export type PreloadImagesOptions = {
  cluster: ClusterHandle;
  /** Pinned references (name:tag or name@sha256:…); `latest` and untagged are refused. */
  images: readonly string[];
  onProgress?: ProgressFn;
  runner?: CommandRunner;
};

export type PreloadResult = { loaded: string[]; skipped?: string };

/** `docker pull` once on the host (when missing), then `kind load docker-image` into the cluster. */
export async function preloadImages(opts: PreloadImagesOptions): Promise<PreloadResult> {
  throw new Error(`preloadImages(${opts.images.length}): being implemented by E1`);
}
