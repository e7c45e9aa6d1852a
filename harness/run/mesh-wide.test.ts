// Unit tests over the real scenario registry and manifests (no cluster): what --cluster existing
// would change beyond the scenarios' own namespaces, and the refusal without --allow-mesh-wide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { casebookRoot } from '../load/casebook-root.ts';
import { UsageError } from '../model/errors.ts';
import { assertKeepIsSafe, assertMeshWideAllowed, meshWideChanges, planFor } from './mesh-wide.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

const root = casebookRoot();
// Scenario modules are imported one by one, not through the registry's validation, so these tests
// judge mesh-wide.ts alone whatever state other scenarios are in.
const changesOf = async (ids: string[]) => {
  const scenarios = await Promise.all(
    ids.map(async (id) => ((await import(`../../scenarios/${id}/scenario.ts`)) as { default: ScenarioDefinition }).default),
  );
  return meshWideChanges(await planFor(root, scenarios, ['1.30.3']));
};

test('the mesh-wide objects of a mesh scenario are listed (the STRICT PeerAuthentication in istio-system)', async () => {
  const [c, ...rest] = await changesOf(['destinationrule-without-tls-overrides-mesh-mtls']);
  assert.equal(rest.length, 0);
  assert.equal(c?.isolation, 'mesh');
  assert.ok(
    c?.objects.some((o) => o.startsWith('PeerAuthentication istio-system/default')),
    c?.objects.join('\n'),
  );
});

test('a namespace scenario changes nothing mesh-wide and runs on an existing cluster without the opt-in', async () => {
  const changes = await changesOf(['inbound-port-not-captured']);
  assert.deepEqual(changes, []);
  assertMeshWideAllowed(changes, { cluster: 'existing', allowMeshWide: false });
});

test('--cluster existing refuses mesh-wide scenarios without --allow-mesh-wide, naming each object; the flag or kind allow them', async () => {
  const changes = await changesOf(['serviceentry-in-other-namespace-captures-tcp-port', 'destinationrule-without-tls-overrides-mesh-mtls']);
  assert.throws(
    () => assertMeshWideAllowed(changes, { cluster: 'existing', allowMeshWide: false }),
    (e: unknown) =>
      e instanceof UsageError &&
      /PeerAuthentication istio-system\/default/.test(e.message) &&
      /serviceentry-in-other-namespace-captures-tcp-port \(changes mesh-wide behaviour\)/.test(e.message) &&
      /--allow-mesh-wide/.test(e.hint ?? ''),
  );
  assertMeshWideAllowed(changes, { cluster: 'existing', allowMeshWide: true });
  assertMeshWideAllowed(changes, { cluster: 'kind', allowMeshWide: false });
});

test('--keep is refused when a kept mesh or gateway scenario would change a later scenario or Istio version; one scenario on one version, or namespace scenarios only, may keep', async () => {
  const mixed = await changesOf(['destinationrule-without-tls-overrides-mesh-mtls', 'inbound-port-not-captured']);
  assert.throws(
    () => assertKeepIsSafe(mixed, { keep: true, scenarios: 2, versions: 1 }),
    (e: unknown) =>
      e instanceof UsageError &&
      /destinationrule-without-tls-overrides-mesh-mtls \(mesh\): .*PeerAuthentication istio-system\/default/.test(e.message) &&
      /one scenario on one Istio version/.test(e.hint ?? ''),
  );
  const one = await changesOf(['destinationrule-without-tls-overrides-mesh-mtls']);
  assert.throws(() => assertKeepIsSafe(one, { keep: true, scenarios: 1, versions: 2 }), UsageError);
  assertKeepIsSafe(one, { keep: true, scenarios: 1, versions: 1 });
  assertKeepIsSafe(mixed, { keep: false, scenarios: 2, versions: 2 });
  assertKeepIsSafe(await changesOf(['inbound-port-not-captured', 'destinationrule-subset-matches-no-pod']), {
    keep: true,
    scenarios: 2,
    versions: 2,
  });
});
