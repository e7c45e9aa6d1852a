/**
 * Config level for real (`npm run test:config`): the fixed phase with the subset still selecting version=stable routes to a cluster without endpoints.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgedOnEveryBuild, registry, withPhaseApplying } from '../../harness/config-level/testing/config-run.ts';

const ID = 'destinationrule-subset-matches-no-pod';

test(`${ID}: fixed without its fix turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild(
    [withPhaseApplying(s, 'fixed', ['broken/destination-rule.yaml', 'common/virtual-service-stable.yaml'])],
    ['fixed'],
  );
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});
