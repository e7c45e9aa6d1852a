/**
 * Config level for real (`npm run test:config`): the fixed phases with the port still named `db` keep the sniffing chains.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgedOnEveryBuild, registry, withPhaseApplying } from '../../harness/config-level/testing/config-run.ts';

const ID = 'unprefixed-port-sniffing-stalls-server-first-mysql';

test(`${ID}: fixed without its fix turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['broken/service.yaml'])], ['fixed']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(`${ID}: fixed-app-protocol without appProtocol turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed-app-protocol', ['broken/service.yaml'])], ['fixed-app-protocol']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});
