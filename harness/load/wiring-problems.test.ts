import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check, defineScenario, probe } from '../index.ts';
import type { Phase, ScenarioDefinition } from '../model/scenario.ts';
import { definitionProblems } from './definition-problems.ts';
import { wiringProblems } from './wiring-problems.ts';

/** One scenario with a tcp probe and an access-log probe, built with the real vocabulary. */
function scenario(phase: Omit<Phase, 'summary' | 'apply'>): ScenarioDefinition {
  return defineScenario({
    id: 'wiring-trial',
    title: 't',
    source: { title: 't' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'casebook-demo' },
    isolation: 'namespace',
    workloads: [
      { name: 'curl', namespace: 'wt' },
      { name: 'mysql-server', namespace: 'wt' },
      { name: 'outside', namespace: 'wt-plain', injected: false },
    ],
    probes: {
      db: probe.tcp({ from: 'curl', host: 'mysql', port: 3306 }),
      web: probe.http({ from: 'curl', url: 'http://mysql:80/' }),
      clientLog: probe.envoy({ of: 'curl', what: 'access-log' }),
    },
    phases: { broken: { summary: 's', apply: [], ...phase } },
  });
}
const at = 'scenarios/wiring-trial/scenario.ts: ';
const messages = (s: ScenarioDefinition) => wiringProblems(s).map((p) => `${p.location.slice(at.length)} | ${p.message}`);

describe('wiringProblems', () => {
  test('the trial scenario, correctly wired, has no problem', () => {
    assert.deepEqual(
      messages(
        scenario({
          expect: {
            db: check.all(check.connected(), check.silent()),
            clientLog: check.responseFlags('UH'),
            web: check.all(check.status(200), check.certSubject(/x/)),
          },
          evidence: ['listeners:curl:3306', 'access-log:curl', 'served-certificate:web', 'gateway-log'],
        }),
      ),
      [],
    );
  });

  test('an access-log check on a tcp probe, even nested in all/not, names the probe and the way out', () => {
    const got = messages(scenario({ expect: { db: check.all(check.connected(), check.not(check.responseFlags('UH'))) } }));
    assert.deepEqual(got, [
      "phases.broken.expect.db | responseFlags(UH) judges envoy access-log observations, but probe 'db' is tcp: " +
        "use a check for tcp observations on 'db', or declare probe.envoy({ of: 'curl', what: 'access-log' }) and check that probe with it",
    ]);
  });

  test('a tcp check on an http probe, and a listener check on an access-log probe', () => {
    const got = messages(
      scenario({ expect: { web: check.any(check.status(503), check.greeting('mysql')), clientLog: check.listener({ port: 3306 }) } }),
    );
    assert.equal(got.length, 2, got.join('\n'));
    assert.match(got[0]!, /^phases\.broken\.expect\.web \| greeting\("mysql"\) judges tcp observations, but probe 'web' is http: /);
    assert.match(
      got[1]!,
      /^phases\.broken\.expect\.clientLog \| listener\(\* 3306 \* \*\) judges envoy listeners observations, but probe 'clientLog' is envoy access-log: /,
    );
  });

  test('a misspelt check name fails as a problem with the nearest name, not as a TypeError at import', () => {
    const misspelt = (check as unknown as Record<string, () => never>)['responseFlag']!();
    assert.deepEqual(messages(scenario({ expect: { clientLog: check.all(misspelt) } })), [
      'phases.broken.expect.clientLog | check.responseFlag is not a check: did you mean check.responseFlags?',
    ]);
    // Evaluated on a cluster (only if validation were skipped), it is a failed check, never a pass.
    const r = misspelt as { evaluate(o: unknown): { ok: boolean; message: string } };
    assert.equal(r.evaluate({ kind: 'envoy', what: 'access-log', entries: [] }).ok, false);
    const far = (check as unknown as Record<string, () => never>)['frobnicate']!();
    assert.deepEqual(messages(scenario({ expect: { db: far } })), [
      'phases.broken.expect.db | check.frobnicate is not a check (the checks are listed in docs/authoring-scenarios.md §5)',
    ]);
  });

  test('evidence: unknown kind, undeclared workload, sidecar-less workload, unchecked or certificate-less probe, malformed entries', () => {
    const got = messages(
      scenario({
        expect: { db: check.connected(), web: check.ok() },
        evidence: [
          'access-logs:curl',
          'listeners:crul:3306',
          'access-log:outside',
          'served-certificate:wbe',
          'served-certificate:db',
          'listeners:curl:http',
          'gateway-log:curl',
          'cluster-tls',
          'istio-init:curl:1',
        ],
      }),
    );
    assert.deepEqual(got, [
      "phases.broken.evidence[0] | 'access-logs:curl': unknown evidence kind 'access-logs': did you mean 'access-log:curl'? (known: listeners, access-log, cluster-tls, istio-init, served-certificate, gateway-config, gateway-log, gateway-secrets)",
      "phases.broken.evidence[1] | 'listeners:crul:3306': workload 'crul' is not declared: did you mean 'listeners:curl:3306'? (workloads: curl, mysql-server, outside)",
      "phases.broken.evidence[2] | 'access-log:outside': workload 'outside' has no sidecar (injected: false), so there is no Envoy to read",
      "phases.broken.evidence[3] | 'served-certificate:wbe': probe 'wbe' is not checked by this phase: did you mean 'served-certificate:web'? (checked: db, web)",
      "phases.broken.evidence[4] | 'served-certificate:db': probe 'db' is tcp; only http, tls and ingress probes see a certificate",
      "phases.broken.evidence[5] | 'listeners:curl:http': the port must be a number",
      "phases.broken.evidence[6] | 'gateway-log:curl': gateway-log takes no argument (write 'gateway-log')",
      "phases.broken.evidence[7] | 'cluster-tls': cluster-tls needs a workload ('cluster-tls:<workload>')",
      "phases.broken.evidence[8] | 'istio-init:curl:1': too many parts (only listeners takes a port: 'listeners:<workload>:<port>')",
    ]);
  });

  test('definitionProblems reports wiring problems beside the others, all at once, and suggests a misspelt probe', () => {
    const s = scenario({ expect: { dbb: check.connected(), db: check.accessLog(/x/) }, evidence: ['access-logs:curl'] });
    const got = definitionProblems([s]).map((p) => `${p.location} | ${p.message}`);
    assert.ok(
      got.includes(
        `${at}phases.broken.expect.dbb | checks probe 'dbb', which does not exist: did you mean 'db'? (probes: db, web, clientLog)`,
      ),
      got.join('\n'),
    );
    assert.ok(
      got.some((m) => m.startsWith(`${at}phases.broken.expect.db | accessLog(/x/) judges envoy access-log observations`)),
      got.join('\n'),
    );
    assert.ok(
      got.some((m) => m.startsWith(`${at}phases.broken.evidence[0] | 'access-logs:curl': unknown evidence kind`)),
      got.join('\n'),
    );
  });

  test('a workshop that starts from another phase than broken says what the learner is asked to do (workshop.task)', () => {
    const base = scenario({ expect: { db: check.connected() } });
    const withWorkshop = (task?: string): ScenarioDefinition => ({
      ...base,
      phases: { ...base.phases, 'control-open': { summary: 's', apply: [], expect: { db: check.connected() } } },
      workshop: {
        from: 'control-open',
        outcome: { db: { check: check.connected(), because: 'b' } },
        hints: ['h'],
        judges: 'j',
        cannotJudge: 'c',
        task,
      },
    });
    assert.deepEqual(messages(withWorkshop()), [
      "workshop.task | the workshop starts from 'control-open', whose manifests do not show the symptom: say what the learner is asked to do in workshop.task",
    ]);
    assert.equal(messages(withWorkshop('  ')).length, 1);
    assert.deepEqual(messages(withWorkshop('make the port mutual')), []);
  });
});
