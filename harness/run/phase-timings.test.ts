import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Check } from '../model/check.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { runScenario } from './scenario-runner.ts';
import { fakeWorld } from './testing/fake-world.ts';

const ok: Check<{ status: number }> = { name: 'status(200)', evaluate: (o) => ({ ok: o.status === 200, message: `got ${o.status}` }) };

test('each phase records mesh config, apply (with rollouts) → settled and evidence on the run clock (fake world: no cluster here)', async () => {
  const w = fakeWorld({
    manifests: {
      'workloads/curl.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: curl }\nspec: { selector: { matchLabels: { app: curl } }, template: { metadata: { labels: { app: curl } }, spec: { containers: [{ name: curl, image: busybox }] } } }\n',
      'scenarios/s/p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: p, namespace: ns }\n',
    },
    respond: () => ({ status: 200 }),
  });
  // A clock that each kind of step advances by its own amount, so every timing is known.
  let now = 0;
  w.deps.now = () => now;
  const ensureMesh = w.deps.ensureMesh;
  w.deps.ensureMesh = async (m) => {
    now += 700;
    return ensureMesh(m);
  };
  const apply = w.deps.cluster.objects.apply;
  w.deps.cluster.objects.apply = async (o) => {
    now += 1000;
    return apply(o);
  };
  const settle = w.deps.settle;
  w.deps.settle = async (o) => {
    now += 3000;
    return settle(o);
  };
  w.deps.collectEvidence = async () => {
    now += 400;
    return [];
  };
  const s: ScenarioDefinition = {
    id: 's',
    title: 's',
    source: { title: 's' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'casebook-demo' },
    isolation: 'namespace',
    workloads: [{ name: 'curl', namespace: 'ns' }],
    probes: { call: { kind: 'http', from: 'curl', url: 'http://x/' } },
    phases: {
      broken: { summary: 'b', apply: ['p.yaml'], expect: { call: ok } },
      fixed: { summary: 'f', apply: ['p.yaml'], mesh: { meshConfig: { enableAutoMtls: false } }, expect: { call: ok } },
    },
  };
  const out = await runScenario(s, w.deps, { istio: '1.30.3', runId: 'r', keep: false });
  assert.deepEqual(
    out.results.map((r) => r.timings),
    [
      { applyMs: 1000, settleMs: 3000, evidenceMs: 400 },
      { meshMs: 700, applyMs: 1000, settleMs: 3000, evidenceMs: 400 },
    ],
  );
});
