import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageName } from 'testcontainers';
import { chooseCleanupMode } from './cleanup-mode.ts';

function images(present: boolean, pullable: boolean) {
  return {
    image: {
      exists: async (_n: ImageName) => present,
      pull: async () => {
        if (!pullable) throw new Error('no registry');
      },
    },
  } as unknown as Parameters<typeof chooseCleanupMode>[0];
}

test('an explicit TESTCONTAINERS_RYUK_DISABLED=true means our own cleanup', async () => {
  const env: NodeJS.ProcessEnv = { TESTCONTAINERS_RYUK_DISABLED: 'true' };
  assert.equal((await chooseCleanupMode(images(true, true), { offline: false, env })).mode, 'own');
});

test('Ryuk is used when its image is present or pullable, and the environment is left alone', async () => {
  const env: NodeJS.ProcessEnv = {};
  assert.deepEqual(await chooseCleanupMode(images(true, false), { offline: true, env }), {
    mode: 'ryuk',
    reason: 'testcontainers/ryuk:0.14.0 present',
  });
  assert.deepEqual(await chooseCleanupMode(images(false, true), { offline: false, env }), {
    mode: 'ryuk',
    reason: 'testcontainers/ryuk:0.14.0 pulled',
  });
  assert.equal(env.TESTCONTAINERS_RYUK_DISABLED, undefined);
});

test('offline without a local Ryuk image, or an unpullable one: Ryuk is disabled for testcontainers', async () => {
  const offline: NodeJS.ProcessEnv = {};
  const d = await chooseCleanupMode(images(false, true), { offline: true, env: offline });
  assert.equal(d.mode, 'own');
  assert.match(d.reason, /offline images/);
  assert.equal(offline.TESTCONTAINERS_RYUK_DISABLED, 'true');
  const online: NodeJS.ProcessEnv = { RYUK_CONTAINER_IMAGE: 'mirror.local/ryuk:1' };
  const e = await chooseCleanupMode(images(false, false), { offline: false, env: online });
  assert.deepEqual(e, { mode: 'own', reason: 'mirror.local/ryuk:1 unavailable: Ryuk disabled, cleanup by label' });
  assert.equal(online.TESTCONTAINERS_RYUK_DISABLED, 'true');
});
