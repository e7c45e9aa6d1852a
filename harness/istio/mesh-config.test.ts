import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { MeshRequirements } from '../model/scenario.ts';
import { meshPatchOf, meshSession, patchMeshText, type InstallOutcome, type MeshConfigApi } from './mesh-config.ts';

const INSTALLED =
  'accessLogFile: /dev/stdout\ndefaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\nrootNamespace: istio-system\n';

/** An in-memory `istio` ConfigMap (no cluster here): the mesh text and our annotation, every write recorded. */
function fakeConfigMap(mesh = INSTALLED, original?: string) {
  const state = { mesh, original, writes: 0 };
  const api: MeshConfigApi = {
    read: async () => ({ mesh: state.mesh, original: state.original }),
    write: async (m, o) => {
      state.mesh = m;
      state.original = o;
      state.writes++;
    },
  };
  return { state, api };
}

function session(opts: { action?: InstallOutcome['action']; mesh?: string; original?: string } = {}) {
  const cm = fakeConfigMap(opts.mesh, opts.original);
  const installs: MeshRequirements[] = [];
  const sleeps: number[] = [];
  const s = meshSession({
    install: async (m) => {
      installs.push(m);
      return { action: opts.action ?? 'installed', hash: `h-${m.profile}` };
    },
    api: cm.api,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { s, cm, installs, sleeps };
}

const demo = (meshConfig?: Record<string, unknown>, proxyMetadata?: Record<string, string>): MeshRequirements => ({
  profile: 'casebook-demo',
  meshConfig,
  proxyMetadata,
});

describe('meshPatchOf: Istio defaults are no change', () => {
  test('enableAutoMtls: true and {} are the same mesh; false is a patch', () => {
    assert.deepEqual(meshPatchOf({ meshConfig: { enableAutoMtls: true } }), {});
    assert.deepEqual(meshPatchOf({}), {});
    assert.deepEqual(meshPatchOf({ meshConfig: { enableAutoMtls: false } }), { meshConfig: { enableAutoMtls: false } });
  });
  test('nested defaults drop too; other keys and proxyMetadata (as strings) stay', () => {
    assert.deepEqual(meshPatchOf({ meshConfig: { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } } }), {});
    assert.deepEqual(meshPatchOf({ meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } }), {
      meshConfig: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    assert.deepEqual(meshPatchOf({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } }), {
      proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' },
    });
  });
});

describe('patchMeshText', () => {
  test('merges the patch over the installed mesh, keeping what istioctl wrote', () => {
    const out = parse(patchMeshText(INSTALLED, { meshConfig: { enableAutoMtls: false }, proxyMetadata: { A: '1' } })) as Record<
      string,
      unknown
    >;
    assert.equal(out['enableAutoMtls'], false);
    assert.equal(out['accessLogFile'], '/dev/stdout');
    assert.deepEqual(out['defaultConfig'], { discoveryAddress: 'istiod.istio-system.svc:15012', proxyMetadata: { A: '1' } });
  });
});

describe('meshSession against a fake istio ConfigMap (unit: no cluster here)', () => {
  test('one install for every scenario of a profile; auto mTLS off is a patch, the default-on phase a restore', async () => {
    const { s, cm, installs } = session();
    assert.deepEqual(await s.ensureMesh(demo()), { install: { action: 'installed', hash: 'h-casebook-demo' }, config: 'unchanged' });
    assert.deepEqual(
      await s.ensureMesh(demo({ enableAutoMtls: true })),
      { install: undefined, config: 'unchanged' },
      'a default costs nothing',
    );
    assert.equal(cm.state.writes, 0);

    assert.equal((await s.ensureMesh(demo({ enableAutoMtls: false }))).config, 'patched');
    assert.equal((parse(cm.state.mesh) as Record<string, unknown>)['enableAutoMtls'], false);
    assert.equal(cm.state.original, INSTALLED, 'the installed mesh is kept on the ConfigMap while patched');
    assert.equal((await s.ensureMesh(demo({ enableAutoMtls: false }))).config, 'unchanged');

    assert.equal((await s.ensureMesh(demo({ enableAutoMtls: true }))).config, 'restored');
    assert.equal(cm.state.mesh, INSTALLED);
    assert.equal(cm.state.original, undefined);
    assert.deepEqual(installs, [{ profile: 'casebook-demo' }], 'the install never sees meshConfig');
  });

  test('restore() at the end puts the installed mesh back; without a patch it writes nothing', async () => {
    const { s, cm } = session();
    await s.restore();
    await s.ensureMesh(demo());
    await s.restore();
    assert.equal(cm.state.writes, 0);
    await s.ensureMesh(demo({ enableAutoMtls: false }));
    await s.restore();
    assert.equal(cm.state.mesh, INSTALLED);
    assert.equal(cm.state.original, undefined);
    assert.equal(
      (await s.ensureMesh(demo({ enableAutoMtls: false }))).config,
      'patched',
      'after a restore the session knows the mesh is the installed one',
    );
  });

  test('a reused install still patched by an earlier run (--keep, a crash) is restored from the kept original', async () => {
    const { s, cm } = session({ action: 'reused', mesh: 'enableAutoMtls: false\n', original: INSTALLED });
    assert.equal((await s.ensureMesh(demo())).config, 'restored');
    assert.equal(cm.state.mesh, INSTALLED);
    assert.equal(cm.state.original, undefined);
  });

  test('a reused install patched by an earlier run that wanted the same patch is rewritten from the original, not patched twice', async () => {
    const { s, cm } = session({ action: 'reused', mesh: 'enableAutoMtls: false\n', original: INSTALLED });
    assert.equal((await s.ensureMesh(demo({ enableAutoMtls: false }))).config, 'patched');
    assert.equal(cm.state.original, INSTALLED);
    assert.equal((parse(cm.state.mesh) as Record<string, unknown>)['accessLogFile'], '/dev/stdout');
  });

  test('a fresh install drops an annotation left by the install it replaced (the ConfigMap is the new one)', async () => {
    const { s, cm } = session({ action: 'reinstalled', original: 'stale: true\n' });
    assert.equal((await s.ensureMesh(demo())).config, 'unchanged');
    assert.equal(cm.state.original, undefined);
    assert.equal(cm.state.mesh, INSTALLED);
  });

  test('another profile is another install; a proxyMetadata change waits for the injector before the runner restarts pods', async () => {
    const { s, installs, sleeps } = session();
    await s.ensureMesh(demo(undefined, { A: '1' }));
    assert.deepEqual(sleeps, [2000]);
    await s.ensureMesh(demo({ enableAutoMtls: false }, { A: '1' }));
    assert.deepEqual(sleeps, [2000], 'meshConfig alone reaches the proxies by xDS: no wait');
    await s.ensureMesh({ profile: 'other' });
    assert.deepEqual(
      installs.map((m) => m.profile),
      ['casebook-demo', 'other'],
    );
  });
});
