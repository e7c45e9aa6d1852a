import { PrerequisiteError } from '../model/errors.ts';
import { execaRunner, type CommandRunner, type ProgressFn } from '../tools/command-runner.ts';
import type { ClusterHandle } from './cluster-handle.ts';
import { assertPinnedForKind } from './image-ref.ts';
import { kindArgs } from './kind-commands.ts';

export type PreloadImagesOptions = {
  cluster: ClusterHandle;
  /** Pinned references (name:tag); `latest`, untagged and digest references are refused. */
  images: readonly string[];
  onProgress?: ProgressFn;
  runner?: CommandRunner;
};

export type PreloadResult = { loaded: string[]; pulled: string[]; skipped?: string };

/** `docker pull` once on the host (only when missing), then `kind load docker-image` into the cluster. */
export async function preloadImages(opts: PreloadImagesOptions): Promise<PreloadResult> {
  const images = [...new Set(opts.images)];
  images.forEach(assertPinnedForKind);
  if (opts.cluster.provider !== 'kind' || !opts.cluster.kindPath) {
    return { loaded: [], pulled: [], skipped: 'not a kind cluster: its nodes pull images from their registries' };
  }
  const runner = opts.runner ?? execaRunner;
  const progress = opts.onProgress ?? (() => {});
  const pulled = await pullMissing(images, runner, progress);
  if (images.length > 0) {
    progress(`loading ${images.length} image(s) into kind cluster ${opts.cluster.name}`);
    const r = await runner(opts.cluster.kindPath, kindArgs.loadImages(opts.cluster.name, images), { onLine: (l) => progress(l) });
    if (r.exitCode !== 0) {
      throw new PrerequisiteError(
        `kind load docker-image failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join('\n')}`,
        'check `docker images` lists them and that the cluster is running (kind get clusters)',
      );
    }
  }
  return { loaded: images, pulled };
}

/** Pulls the images the host does not have yet; returns those it pulled. */
export async function pullMissing(images: readonly string[], runner: CommandRunner, progress: ProgressFn): Promise<string[]> {
  const pulled: string[] = [];
  for (const image of images) {
    const present = await runner('docker', ['image', 'inspect', '--format', '{{.Id}}', image]);
    if (present.exitCode === 0) continue;
    progress(`docker pull ${image}`);
    const r = await runner('docker', ['pull', image], { onLine: (l) => progress(l) });
    if (r.exitCode !== 0) {
      throw new PrerequisiteError(
        `docker pull ${image} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join('\n')}`,
        'check registry access (or docker login / a registry mirror), then run `casebook setup` again',
      );
    }
    pulled.push(image);
  }
  return pulled;
}
