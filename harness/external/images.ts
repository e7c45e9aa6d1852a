/**
 * Images for the services outside the mesh. Real runs use upstream images pinned by tag; the
 * offline lab uses the one Debian-built toolbox image (nginx-light, mariadb-server, curl, nc,
 * openssl), built locally by `node lab/images/ensure-toolbox.ts`.
 *
 * Tags only, no digests: no registry but npm and Debian is reachable where this was written, so
 * no digest could be checked, and an unchecked digest is worse than none. Add `@sha256:…` after
 * `docker pull <tag>` + `docker inspect --format '{{index .RepoDigests 0}}' <tag>` on a machine
 * that can pull.
 */
export const UPSTREAM_IMAGES = {
  https: 'nginx:1.30.4',
  mysql: 'mysql:8.4.8',
  client: 'curlimages/curl:8.11.1',
} as const;

export const TOOLBOX_IMAGE = 'casebook-lab/toolbox:bookworm-1';
export const TOOLBOX_BUILD_COMMAND = 'node lab/images/ensure-toolbox.ts';

export type ImageRole = 'https' | 'mysql' | 'client';
export type ImageSet = Record<ImageRole, string>;

export const OFFLINE_IMAGES_ENV = 'CASEBOOK_OFFLINE_IMAGES';

/** `CASEBOOK_OFFLINE_IMAGES` set to anything but '', '0' or 'false' selects the lab's images. */
export function offlineImagesFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[OFFLINE_IMAGES_ENV]?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

export function imagesFor(offline: boolean): ImageSet {
  return offline ? { https: TOOLBOX_IMAGE, mysql: TOOLBOX_IMAGE, client: TOOLBOX_IMAGE } : { ...UPSTREAM_IMAGES };
}

/** Distinct images needed for a set of service kinds (the client is always needed for the reachability check). */
export function imagesNeeded(kinds: readonly ('https-site' | 'mysql')[], offline: boolean): string[] {
  const set = imagesFor(offline);
  const wanted = new Set<string>([set.client]);
  for (const k of kinds) wanted.add(k === 'mysql' ? set.mysql : set.https);
  return [...wanted];
}

/** What to tell the user when an image is neither local nor pullable. */
export function missingImageHint(image: string, offline: boolean): string {
  if (image === TOOLBOX_IMAGE) {
    return `build it with \`${TOOLBOX_BUILD_COMMAND}\` (needs root, debootstrap and Debian mirrors)`;
  }
  const alt = offline ? '' : `, or set ${OFFLINE_IMAGES_ENV}=1 to use the lab image ${TOOLBOX_IMAGE}`;
  return `pull it where a registry is reachable (\`docker pull ${image}\`) and load it here (\`docker save ${image} | docker load\`)${alt}`;
}
