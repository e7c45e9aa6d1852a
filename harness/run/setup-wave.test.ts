import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Check } from '../model/check.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { runScenario } from './scenario-runner.ts';
import { SetupWave, waveMembers } from './setup-wave.ts';
import { fakeWorld } from './testing/fake-world.ts';

const ok: Check<{ status: number }> = { name: 'status(200)', evaluate: (o) => ({ ok: o.status === 200, message: `got ${o.status}` }) };
const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec: { selector: { matchLabels: { app: ${name} } }, template: { metadata: { labels: { app: ${name} } }, spec: { containers: [{ name: ${name}, image: busybox }] } } }
`;
const MANIFESTS: Record<string, string> = {
  'workloads/curl.yaml': DEPLOYMENT('curl'),
  'workloads/httpbin.yaml': DEPLOYMENT('httpbin'),
  'mesh/strict.yaml': `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
`,
  'scenarios/a/p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: ns-a }\n',
  'scenarios/b/p.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b, namespace: ns-b }\n',
};

function scenario(id: string, ns: string, over: Partial<ScenarioDefinition> = {}): ScenarioDefinition {
  return {
    id,
    title: id,
    source: { title: 's' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'casebook-demo' },
    isolation: 'gateway',
    workloads: [
      { name: 'curl', namespace: ns },
      { name: 'httpbin', namespace: ns },
    ],
    probes: { call: { kind: 'http', from: 'curl', url: 'http://httpbin:8000/get' } },
    phases: {
      broken: { summary: 'b', apply: [`p.yaml`], expect: { call: ok } },
      fixed: { summary: 'f', apply: [`p.yaml`], expect: { call: ok } },
    },
    ...over,
  };
}

const A = scenario('a', 'ns-a');
const B = scenario('b', 'ns-b', { mesh: { profile: 'casebook-demo', apply: ['mesh/strict.yaml'] }, isolation: 'mesh' });

/** The fake world (no cluster here) with rollouts that take a moment, counting how many overlap. */
function world() {
  const w = fakeWorld({ manifests: MANIFESTS, respond: () => ({ status: 200 }) });
  const rollout = w.deps.cluster.waitForRollout;
  const seen = { inFlight: 0, maxInFlight: 0 };
  w.deps.cluster.waitForRollout = async (ns, name, o) => {
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    seen.inFlight--;
    return rollout(ns, name, o);
  };
  return { ...w, seen };
}

describe('setup wave (fake world: no cluster here)', () => {
  test("every scenario is set up before the first phase, rollouts overlap; mesh-wide policy waits for its scenario's turn", async () => {
    const w = world();
    const wave = new SetupWave(w.deps, { istio: '1.30.3', runId: 'r1', keep: false });
    assert.deepEqual((await wave.prepare([A, B])).prepared, ['a', 'b']);
    assert.equal(w.seen.maxInFlight, 4, 'the four Deployments of both scenarios roll out at once');
    assert.ok(!w.timeline.some((l) => l.includes('PeerAuthentication')), 'no mesh-wide policy in the wave');

    for (const s of [A, B]) {
      const prepared = wave.take(s.id)!;
      const out = await runScenario(s, w.deps, { istio: '1.30.3', runId: 'r1', keep: false, prepared });
      assert.ok(
        out.results.every((r) => r.verdict !== 'error'),
        JSON.stringify(out.results.map((r) => r.error)),
      );
    }
    const t = w.timeline;
    const lastRollout = t.findLastIndex((l) => l.startsWith('rollout'));
    const firstObserve = t.findIndex((l) => l.startsWith('observe'));
    assert.ok(lastRollout < firstObserve, 'all rollouts before the first probe');
    const strict = t.indexOf('apply PeerAuthentication istio-system/default');
    assert.ok(strict > t.indexOf('delete namespace ns-a'), "b's STRICT policy only after a is done and torn down");
    assert.ok(t.includes('delete PeerAuthentication istio-system/default'), "b's teardown removes its policy");
    assert.ok(t.includes('delete namespace ns-b'));
    assert.deepEqual(wave.pending(), []);
  });

  test('a scenario whose wave setup failed reports every phase as error (setup failed) and is torn down', async () => {
    const w = world();
    w.failures.applyMatching = /Deployment ns-b\/httpbin/;
    const wave = new SetupWave(w.deps, { istio: '1.30.3', runId: 'r1', keep: false });
    await wave.prepare([A, B]);
    const out = await runScenario(B, w.deps, { istio: '1.30.3', runId: 'r1', keep: false, prepared: wave.take('b')! });
    assert.deepEqual(
      out.results.map((r) => r.verdict),
      ['error', 'error'],
    );
    assert.match(out.results[0]!.error!, /setup failed: could not apply Deployment ns-b\/httpbin/);
    assert.ok(w.timeline.includes('delete namespace ns-b'));
  });

  test('left out: a namespace another member has, and a mesh with proxyMetadata (pods must start under it); taken twice gives nothing', async () => {
    const clash = scenario('c', 'ns-a');
    const meta = scenario('d', 'ns-d', { mesh: { profile: 'casebook-demo', proxyMetadata: { X: '1' } } });
    const { members, left } = waveMembers([A, clash, meta]);
    assert.deepEqual(
      members.map((s) => s.id),
      ['a'],
    );
    assert.deepEqual(
      left.map((l) => l.id),
      ['c', 'd'],
    );
    assert.match(left[0]!.why, /namespace ns-a is also a's/);

    const w = world();
    const wave = new SetupWave(w.deps, { istio: '1.30.3', runId: 'r1', keep: false });
    await wave.prepare([A]);
    assert.ok(wave.take('a'));
    assert.equal(wave.take('a'), undefined);
    assert.deepEqual((await wave.prepare([A])).prepared, [], 'a restarted batch never sets a scenario up twice');
  });

  test('a run stopped early leaves preparations pending, for the worker to unwind', async () => {
    const w = world();
    const wave = new SetupWave(w.deps, { istio: '1.30.3', runId: 'r1', keep: false });
    await wave.prepare([A, B]);
    wave.take('a');
    const pending = wave.pending();
    assert.equal(pending.length, 1);
    await pending[0]!.stack.unwind();
    assert.ok(w.timeline.includes('delete namespace ns-b'));
  });
});
