import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phaseSpecific } from '../checks/phase-specific.ts';
import type { Check } from '../model/check.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { runScenario } from './scenario-runner.ts';
import { SETTLE_BACKOFF } from './settle.ts';
import { fakeWorld } from './testing/fake-world.ts';

/**
 * Which probes the runner lets retry fast (SETTLE_BACKOFF): only those whose answer cannot come
 * from the previous phase's config. A fast "3 in a row" on a check that also holds on the old
 * config would judge the wrong phase, so such probes keep the fixed pause until a phase-specific
 * probe of the phase has held.
 */
const ok = (name: string): Check<unknown> => ({ name, evaluate: () => ({ ok: true, message: name }) });
const never = (name: string): Check<unknown> => ({ name, evaluate: () => ({ ok: false, message: name }) });

const MANIFESTS = {
  'workloads/curl.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: curl }\n',
  'scenarios/gating/broken/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: g1 }\n',
};

function scenario(phases: ScenarioDefinition['phases']): ScenarioDefinition {
  return {
    id: 'gating',
    title: 't',
    source: { title: 's' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'casebook-demo' },
    isolation: 'namespace',
    workloads: [{ name: 'curl', namespace: 'g1' }],
    probes: {
      early: { kind: 'http', from: 'curl', url: 'http://early' },
      own: { kind: 'http', from: 'curl', url: 'http://own' },
      late: { kind: 'http', from: 'curl', url: 'http://late' },
    },
    phases,
  };
}

async function backoffs(phases: ScenarioDefinition['phases']): Promise<[string, boolean][]> {
  const world = fakeWorld({ manifests: MANIFESTS, respond: () => ({}) });
  const seen: [string, boolean][] = [];
  const settle = world.deps.settle;
  world.deps.settle = async (o) => {
    if (o.backoff) assert.deepEqual(o.backoff, SETTLE_BACKOFF);
    seen.push([o.name, o.backoff !== undefined]);
    return settle(o);
  };
  await runScenario(scenario(phases), world.deps, { istio: '1.30.3', runId: 'r1', keep: false });
  return seen;
}

test('the phase-specific probe and the probes after it held retry fast; none before it', async () => {
  // settleOrder puts `own` first although it is declared second.
  const seen = await backoffs({
    broken: {
      summary: 's',
      apply: ['broken/a.yaml'],
      expect: { early: ok('early'), own: phaseSpecific(ok('own'), 'only this phase makes it'), late: ok('late') },
    },
  });
  assert.deepEqual(seen, [
    ['own', true],
    ['early', true],
    ['late', true],
  ]);
});

test('without a phase-specific probe, or when it did not hold, every other probe keeps the fixed pause', async () => {
  assert.deepEqual(
    await backoffs({ broken: { summary: 's', apply: ['broken/a.yaml'], expect: { early: ok('early'), late: ok('late') } } }),
    [
      ['early', false],
      ['late', false],
    ],
  );
  assert.deepEqual(
    await backoffs({
      broken: {
        summary: 's',
        apply: ['broken/a.yaml'],
        expect: { own: phaseSpecific(never('own'), 'only this phase makes it'), late: ok('late') },
      },
    }),
    [
      ['own', true],
      ['late', false],
    ],
  );
});
