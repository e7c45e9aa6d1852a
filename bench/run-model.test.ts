import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { inspectScenarios } from '../harness/load/load-scenarios.ts';
import { DEFAULT_CONCURRENCY } from '../harness/host/run-env.ts';
import { modelRun } from './run-model.ts';

// `casebook run`'s defaults, whatever BENCH_* says in the environment; modelled once for both tests.
const defaults = modelRun(undefined, { readiness: 'watch', concurrency: DEFAULT_CONCURRENCY });

// The modelled run is how a slower runner shows up here, where no cluster runs: these are the
// figures the README's Performance section states, as bounds.
test('the modelled casebook run: one install per version, every phase run, at most 9 minutes on one version', async () => {
  const r = await defaults;
  assert.deepEqual([r.counts.installs, r.counts.reinstalls], [1, 0], 'one Istio install for the whole casebook');
  const { scenarios } = await inspectScenarios({ root: fileURLToPath(new URL('../', import.meta.url)) });
  assert.deepEqual(
    [r.counts.scenarios, r.counts.phases],
    [scenarios.length, scenarios.reduce((n, s) => n + Object.keys(s.phases).length, 0)],
    'every phase of every scenario ran',
  );
  const minutes = (r.perVersionSeconds + r.fixedSeconds) / 60;
  assert.ok(minutes <= 9, `modelled one-version run ${minutes.toFixed(1)} min > 9`);
});

test('the modelled run in sequence (--concurrency 1) is slower: the batch schedule is what saves the time', async () => {
  const [lanes, serial] = [await defaults, await modelRun(undefined, { readiness: 'watch', concurrency: 1 })];
  assert.equal(lanes.counts.phases, serial.counts.phases);
  assert.ok(serial.perVersionSeconds > lanes.perVersionSeconds + 60, `${serial.perVersionSeconds} s vs ${lanes.perVersionSeconds} s`);
});
