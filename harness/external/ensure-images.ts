import { ImageName, type ContainerRuntimeClient } from 'testcontainers';
import { PrerequisiteError } from '../model/errors.ts';
import { missingImageHint } from './images.ts';

/**
 * testcontainers has no "never pull" policy: a missing image always triggers a pull, which
 * offline fails with a registry error that names neither the image's purpose nor a way out.
 * So check first: local images pass, others get one pull attempt, and a failure says which
 * image and what to do.
 */
export async function ensureImages(
  client: Pick<ContainerRuntimeClient, 'image'>,
  images: readonly string[],
  opts: { offline: boolean },
): Promise<void> {
  const missing: { image: string; reason: string }[] = [];
  for (const image of images) {
    const name = ImageName.fromString(image);
    if (await client.image.exists(name)) continue;
    if (opts.offline) {
      missing.push({ image, reason: 'not present locally (offline images are never pulled)' });
      continue;
    }
    try {
      await client.image.pull(name, { force: false, platform: undefined });
    } catch (err) {
      missing.push({ image, reason: `not present locally and the pull failed: ${firstLine(err)}` });
    }
  }
  if (missing.length > 0) throw missingImagesError(missing, opts.offline);
}

export function missingImagesError(missing: readonly { image: string; reason: string }[], offline: boolean): PrerequisiteError {
  const lines = missing.map((m) => `image ${m.image} is ${m.reason}`);
  const hints = missing.map((m) => `${m.image}: ${missingImageHint(m.image, offline)}`);
  return new PrerequisiteError(`external services cannot start: ${lines.join('; ')}`, [...new Set(hints)].join('\n'));
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
