/**
 * Config level for real (`npm run test:config`): the fixed phase with the host-specific Gateway and
 * VirtualService back turns still-failing. No calibration: the write-up records no output for the
 * browser case (only the hosts "*" manifests, which fixed/ applies).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgedOnEveryBuild, registry, withPhaseApplying } from '../../harness/config-level/testing/config-run.ts';

const ID = 'ingress-wildcard-host-for-browsers';

test(`${ID}: fixed without its fix (host-specific hosts) turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['broken/gateway-and-virtualservice.yaml'])], ['fixed']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});
