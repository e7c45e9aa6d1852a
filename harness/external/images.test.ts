import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageName } from 'testcontainers';
import { PrerequisiteError } from '../model/errors.ts';
import { ensureImages } from './ensure-images.ts';
import { imagesFor, imagesNeeded, missingImageHint, offlineImagesFromEnv, TOOLBOX_IMAGE, UPSTREAM_IMAGES } from './images.ts';

test('real runs use pinned upstream images, offline runs the lab toolbox', () => {
  assert.deepEqual(imagesFor(false), { https: 'nginx:1.30.4', mysql: 'mysql:8.4.8', client: 'curlimages/curl:8.11.1' });
  assert.deepEqual(imagesFor(true), { https: TOOLBOX_IMAGE, mysql: TOOLBOX_IMAGE, client: TOOLBOX_IMAGE });
  for (const image of Object.values(UPSTREAM_IMAGES)) assert.match(image, /:\d+\.\d+\.\d+$/, `${image} is pinned to a full version`);
});

test('only the images the services need, plus the reachability client, deduplicated', () => {
  assert.deepEqual(imagesNeeded(['mysql'], false), ['curlimages/curl:8.11.1', 'mysql:8.4.8']);
  assert.deepEqual(imagesNeeded(['https-site', 'https-site'], false), ['curlimages/curl:8.11.1', 'nginx:1.30.4']);
  assert.deepEqual(imagesNeeded(['https-site', 'mysql'], true), [TOOLBOX_IMAGE]);
});

test('CASEBOOK_OFFLINE_IMAGES: set and not false-ish means offline', () => {
  assert.equal(offlineImagesFromEnv({}), false);
  assert.equal(offlineImagesFromEnv({ CASEBOOK_OFFLINE_IMAGES: '1' }), true);
  assert.equal(offlineImagesFromEnv({ CASEBOOK_OFFLINE_IMAGES: 'true' }), true);
  assert.equal(offlineImagesFromEnv({ CASEBOOK_OFFLINE_IMAGES: '0' }), false);
  assert.equal(offlineImagesFromEnv({ CASEBOOK_OFFLINE_IMAGES: 'false' }), false);
  assert.equal(offlineImagesFromEnv({ CASEBOOK_OFFLINE_IMAGES: '' }), false);
});

test('hints say how to get each image', () => {
  assert.match(missingImageHint(TOOLBOX_IMAGE, true), /node lab\/images\/ensure-toolbox\.ts/);
  assert.match(missingImageHint('mysql:8.4.8', false), /docker pull mysql:8\.4\.8.*CASEBOOK_OFFLINE_IMAGES=1/);
  assert.doesNotMatch(missingImageHint('mysql:8.4.8', true), /CASEBOOK_OFFLINE_IMAGES/);
});

function fakeImages(present: string[], pullable: string[]) {
  const pulls: string[] = [];
  const client = {
    image: {
      exists: async (n: ImageName) => present.includes(n.string),
      pull: async (n: ImageName) => {
        pulls.push(n.string);
        if (!pullable.includes(n.string)) throw new Error(`pull access denied for ${n.string}\nmore detail`);
      },
    },
  } as unknown as Parameters<typeof ensureImages>[0];
  return { client, pulls };
}

test('present images pass without a pull; missing ones get one pull attempt', async () => {
  const { client, pulls } = fakeImages(['nginx:1.30.4'], ['curlimages/curl:8.11.1']);
  await ensureImages(client, ['nginx:1.30.4', 'curlimages/curl:8.11.1'], { offline: false });
  assert.deepEqual(pulls, ['curlimages/curl:8.11.1']);
});

test('an unpullable image fails with its name, the pull error and what to do', async () => {
  const { client } = fakeImages([], []);
  await assert.rejects(ensureImages(client, ['mysql:8.4.8'], { offline: false }), (err: unknown) => {
    assert.ok(err instanceof PrerequisiteError);
    assert.equal(
      err.message,
      'external services cannot start: image mysql:8.4.8 is not present locally and the pull failed: pull access denied for mysql:8.4.8',
    );
    assert.match(err.hint ?? '', /docker pull mysql:8\.4\.8/);
    return true;
  });
});

test('offline images are never pulled; a missing toolbox names the build command', async () => {
  const { client, pulls } = fakeImages([], [TOOLBOX_IMAGE]);
  await assert.rejects(ensureImages(client, [TOOLBOX_IMAGE], { offline: true }), (err: unknown) => {
    assert.ok(err instanceof PrerequisiteError);
    assert.match(err.message, /image casebook-lab\/toolbox:bookworm-1 is not present locally \(offline images are never pulled\)/);
    assert.match(err.hint ?? '', /node lab\/images\/ensure-toolbox\.ts/);
    return true;
  });
  assert.deepEqual(pulls, []);
});
