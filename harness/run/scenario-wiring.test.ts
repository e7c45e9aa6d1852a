import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertStore } from '../certs/cert-store.ts';
import { check } from '../checks/check.ts';
import { createEvidenceCollector } from '../evidence/collect-evidence.ts';
import { loadScenarios } from '../load/load-scenarios.ts';
import type { Check, CheckResult } from '../model/check.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { ExecTransport } from '../model/exec.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { ProbeResult } from '../model/results.ts';
import { probeObserver, type Observers } from '../probes/observe.ts';
import { minimalObservations } from './testing/minimal-observations.ts';

/**
 * For every registered scenario, the joints the type system does not hold: each phase's checks
 * accept the observation kind its probe produces, each probe kind reaches its observer, and each
 * evidence entry is one the collector understands, naming a declared workload or a probe of that
 * phase. A scenario added or edited with a mismatch fails here instead of on a cluster.
 */
const scenarios = await loadScenarios();

/** The message checks give when handed an observation kind they cannot judge (checks/describe.ts wrongKind). */
// `[\w ,-]`: kinds such as `envoy access-log` have a hyphen (a narrower class let those through).
const WRONG_KIND = /expected an? [\w ,-]+ observation for /;

function judge(c: Check<unknown>, observation: unknown): CheckResult {
  let r: CheckResult | undefined;
  assert.doesNotThrow(
    () => {
      r = c.evaluate(observation);
    },
    `${c.name} threw on a ${(observation as { kind: string }).kind} observation`,
  );
  return r!;
}

test('the wrong-kind detector itself: a tcp check on an http observation, nested in all/not, is caught', () => {
  const http = minimalObservations({ kind: 'http', from: 'curl', url: 'http://x/' }).answered;
  assert.match(judge(check.all(check.status(200), check.not(check.greeting('mysql'))), http).message, WRONG_KIND);
  assert.doesNotMatch(judge(check.all(check.status(200), check.certSubject(/x/)), http).message, WRONG_KIND);
  const tcp = minimalObservations({ kind: 'tcp', from: 'curl', host: 'x', port: 1 }).answered;
  assert.match(judge(check.all(check.connected(), check.responseFlags('UH')), tcp).message, WRONG_KIND);
});

test('the registry has scenarios with every probe kind (otherwise these tests would check less than they say)', () => {
  const kinds = new Set(scenarios.flatMap((s) => Object.values(s.probes).map((p) => p.kind)));
  assert.ok(scenarios.length >= 10, `only ${scenarios.length} scenarios registered`);
  for (const k of ['http', 'tcp', 'envoy', 'ingress', 'browser'] as const) assert.ok(kinds.has(k), `no scenario uses a ${k} probe`);
});

for (const s of scenarios) {
  test(`${s.id}: every phase's checks judge the observation kind their probe produces`, () => {
    for (const [phase, p] of Object.entries(s.phases)) {
      for (const [probeName, c] of Object.entries(p!.expect)) {
        const spec = s.probes[probeName];
        assert.ok(spec, `${phase} checks undeclared probe ${probeName}`);
        for (const [shape, o] of Object.entries(minimalObservations(spec))) {
          const r = judge(c as Check<unknown>, o);
          assert.equal(typeof r.ok, 'boolean');
          assert.doesNotMatch(
            r.message,
            WRONG_KIND,
            `${phase}: ${probeName} (${spec.kind}) is checked with ${c.name}, which cannot judge a ${spec.kind} observation (${shape})`,
          );
        }
      }
    }
  });

  test(`${s.id}: each probe goes to the observer of its kind`, async () => {
    const got: string[] = [];
    const certs = { dir: '/tmp/certs' } as CertStore;
    const address = { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 };
    const observers: Observers = {
      inMesh: async (spec, ctx) => {
        got.push(`in-mesh ${spec.kind} ns=${ctx.namespaceOf('x')}`);
        return minimalObservations(spec as ProbeSpec).answered;
      },
      ingress: async (spec, ctx) => {
        got.push(`ingress ${spec.kind} ${ctx.address.httpsPort} certs=${ctx.certs.dir}`);
        return minimalObservations(spec).answered as never;
      },
      browser: async (spec, ctx) => {
        got.push(`browser ${spec.kind} ${ctx.address.httpPort}`);
        return { ...minimalObservations(spec).answered, browser: 'fake' } as never;
      },
      kube: async (spec) => {
        got.push(`kube ${spec.read}`);
        return minimalObservations(spec).answered;
      },
    };
    const observe = probeObserver(address, { observers });
    const transport = {} as ExecTransport;
    const expected: string[] = [];
    for (const spec of Object.values(s.probes)) {
      await observe(spec, { transport, namespaceOf: () => 'ns1', certs });
      expected.push(
        spec.kind === 'ingress'
          ? 'ingress ingress 8443 certs=/tmp/certs'
          : spec.kind === 'browser'
            ? 'browser browser 8080'
            : spec.kind === 'kube'
              ? `kube ${spec.read}`
              : `in-mesh ${spec.kind} ns=ns1`,
      );
    }
    assert.deepEqual(got, expected);
  });

  test(`${s.id}: every evidence entry is one the collector understands, for a declared workload or a probe of the phase`, async (t) => {
    const reportDir = await mkdtemp(join(tmpdir(), 'casebook-wiring-'));
    t.after(() => rm(reportDir, { recursive: true, force: true }));
    const FAKE = 'fake transport: no cluster here';
    const transport: ExecTransport = {
      kind: 'kubernetes',
      exec: async () => {
        throw new InfrastructureError(FAKE);
      },
      logs: async (target) => `log of ${target.workload}/${target.container}\n`,
    };
    const workloads = new Map(s.workloads.map((w) => [w.name, w]));
    const namespaceOf = (w: string) => {
      const ref = workloads.get(w);
      if (!ref) throw new Error(`workload ${w} is not declared by ${s.id}`);
      return ref.namespace;
    };
    const collect = createEvidenceCollector({ reportDir });
    for (const [phase, p] of Object.entries(s.phases)) {
      for (const entry of p!.evidence ?? []) {
        const [kind, workload] = entry.split(':');
        if (['listeners', 'access-log', 'cluster-tls', 'istio-init'].includes(kind!)) {
          assert.notEqual(workloads.get(workload!)?.injected, false, `${phase}: ${entry} reads the sidecar of ${workload}, which has none`);
        }
      }
      const probes: ProbeResult[] = Object.keys(p!.expect).map((name) => ({
        probe: name,
        spec: s.probes[name]!,
        held: true,
        message: '',
        infrastructureError: false,
        attempts: [
          { index: 1, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, observation: minimalObservations(s.probes[name]!).answered },
        ],
      }));
      await collect({
        scenario: s,
        phase,
        istio: '1.0.0',
        probes,
        requested: p!.evidence ?? [],
        transport,
        namespaceOf,
        unexpected: false,
      });
      const errors = await readFile(join(reportDir, 'evidence', s.id, 'istio-1.0.0', phase, 'collection-errors.txt'), 'utf8').catch(
        () => '',
      );
      // Only the fake transport may fail here: anything else is an entry the collector cannot serve.
      const wrong = errors.split('\n').filter((l) => l !== '' && !l.includes(FAKE));
      assert.deepEqual(wrong, [], `${s.id} › ${phase}`);
    }
  });
}
