// Unit tests: the reuse/install decision, pure, no cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideInstall, type InstallRecord } from './install-decision.ts';

const wanted: InstallRecord = { hash: 'aaaa', version: '1.30.3', profile: 'casebook-demo' };
const kind = { istiodPresent: true, manageIstio: true, name: 'casebook' };

test('reuse when the recorded hash matches and istiod is there', () => {
  assert.equal(decideInstall({ ...wanted }, wanted, kind).action, 'reuse');
});

test('same version, other profile or overrides: reinstall over it without uninstalling', () => {
  const d = decideInstall({ hash: 'bbbb', version: '1.30.3', profile: 'casebook-dns' }, wanted, kind);
  assert.deepEqual([d.action, d.uninstallFirst], ['reinstall', false]);
  assert.match(d.reason, /bbbb \(profile casebook-dns\) differs from aaaa \(profile casebook-demo\)/);
});

test('other version: uninstall first, then install', () => {
  const d = decideInstall({ hash: 'cccc', version: '1.29.6', profile: 'casebook-demo' }, wanted, kind);
  assert.deepEqual([d.action, d.uninstallFirst], ['reinstall', true]);
});

test('nothing there: install; record without istiod: reinstall; foreign Istio on a managed cluster: uninstall first', () => {
  assert.deepEqual(decideInstall(undefined, wanted, { ...kind, istiodPresent: false }).action, 'install');
  assert.deepEqual(decideInstall({ ...wanted }, wanted, { ...kind, istiodPresent: false }).action, 'reinstall');
  const foreign = decideInstall(undefined, wanted, kind);
  assert.deepEqual([foreign.action, foreign.uninstallFirst], ['reinstall', true]);
});

test('existing cluster without --manage-istio: only a matching install is accepted; anything else names --manage-istio', () => {
  const existing = { istiodPresent: true, manageIstio: false, name: 'prod-ctx' };
  assert.equal(decideInstall({ ...wanted }, wanted, existing).action, 'reuse');
  for (const [current, state, says] of [
    [undefined, existing, /did not install/],
    [undefined, { ...existing, istiodPresent: false }, /has no Istio/],
    [{ hash: 'bbbb', version: '1.29.6', profile: 'casebook-demo' }, existing, /has Istio 1\.29\.6/],
  ] as const) {
    assert.throws(
      () => decideInstall(current, wanted, state),
      (e: Error & { hint?: string }) =>
        e.name === 'PrerequisiteError' && says.test(e.message) && e.message.includes('prod-ctx') && /--manage-istio/.test(e.hint ?? ''),
    );
  }
});
