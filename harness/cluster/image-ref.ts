import { UsageError } from '../model/errors.ts';

/**
 * Images loaded into kind must be name:tag with a real tag:
 *  - `latest` or no tag means imagePullPolicy Always, so the kubelet would pull again and the
 *    preloaded copy is useless (kind docs, site/content/docs/user/quick-start.md "Loading an Image").
 *  - a digest reference loses its name on the way in: `docker save` drops tags for digest refs and
 *    kind loads it as an unnamed image (kubernetes-sigs/kind#1140, #2394).
 */
export function assertPinnedForKind(image: string): void {
  const hint = 'pin it as name:tag (not latest, no @sha256 digest) in the workload manifest';
  if (image.includes('@')) throw new UsageError(`image ${image} is pinned by digest, which kind load cannot keep the name of`, hint);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? '' : image.slice(colon + 1);
  if (tag === '' || tag === 'latest')
    throw new UsageError(`image ${image} has ${tag ? 'the tag latest' : 'no tag'}; casebook loads only pinned images`, hint);
}
