/**
 * Config level for real (`npm run test:config`): the fixed phase with the rule still without tls leaves the client's cluster plain (auto mTLS off) against STRICT.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgedOnEveryBuild, registry, withPhaseApplying } from '../../harness/config-level/testing/config-run.ts';

const ID = 'destinationrule-without-tls-overrides-mesh-mtls';

test(`${ID}: fixed without its fix turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['broken/destination-rule.yaml'])], ['fixed']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});
