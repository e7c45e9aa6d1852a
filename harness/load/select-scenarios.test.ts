import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { parseIstioVersions, parseShard } from '../cli/parse-options.ts';
import { closestIds, selectScenarios } from './select-scenarios.ts';

const ids = [
  'destinationrule-without-tls-overrides-mesh-mtls',
  'inbound-port-not-captured',
  'ingress-tls-simple',
  'ingress-mutual-tls',
  'serviceentry-without-addresses-hijacks-https',
];
const all = ids.map((id) => ({ id }) as ScenarioDefinition);

test('closest ids: typos, abbreviations and fragments', () => {
  assert.deepEqual(closestIds('ingress-tls-simpel', ids), ['ingress-tls-simple']);
  assert.deepEqual(closestIds('destinationrule-tls', ids), ['destinationrule-without-tls-overrides-mesh-mtls']);
  assert.deepEqual(closestIds('mutual', ids), ['ingress-mutual-tls']);
  assert.deepEqual(closestIds('ingress', ids), ['ingress-tls-simple', 'ingress-mutual-tls']);
  assert.deepEqual(closestIds('kubernetes-dashboard', ids), []);
});

test('selectScenarios keeps registry order, all when no ids, UsageError with suggestions otherwise', () => {
  assert.deepEqual(
    selectScenarios(all, []).map((s) => s.id),
    ids,
  );
  assert.deepEqual(
    selectScenarios(all, ['ingress-mutual-tls', 'inbound-port-not-captured']).map((s) => s.id),
    ['inbound-port-not-captured', 'ingress-mutual-tls'],
  );
  assert.throws(
    () => selectScenarios(all, ['ingress-tls-simpel', 'nothing-like-it']),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, "unknown scenario id 'ingress-tls-simpel' (did you mean ingress-tls-simple?), 'nothing-like-it'");
      return true;
    },
  );
});

test('option parsing', () => {
  assert.deepEqual(parseIstioVersions('v1.30.3, 1.31.0-rc.0,1.30.3'), ['1.30.3', '1.31.0-rc.0']);
  assert.throws(() => parseIstioVersions(''), UsageError);
  assert.throws(() => parseIstioVersions('latest'), /not a list of exact Istio versions \(latest\)/);
  assert.equal(parseShard('2/3'), '2/3');
  assert.throws(() => parseShard('0/3'), UsageError);
  assert.equal(parseShard(undefined), undefined);
});
