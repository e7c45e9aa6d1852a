import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ScenarioLoadError } from '../model/errors.ts';
import { loadScenarios } from './load-scenarios.ts';

/** Throwaway casebook trees: scenario modules are plain objects, so they import nothing. */
const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'casebook-load-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

// Phase-specific by default, so each test sees only the problems it is about.
const check = { name: 'ok()', phaseSpecific: 'only this phase applies dr.yaml' };
function scenario(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: `t ${id}`,
    source: { title: 't' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'demo' },
    isolation: 'namespace',
    workloads: [
      { name: 'curl', namespace: `${id}-a` },
      { name: 'httpbin', namespace: `${id}-a` },
    ],
    probes: { call: { kind: 'http', from: 'curl', url: 'http://httpbin:8000/get' } },
    phases: { broken: { summary: 's', apply: ['broken/dr.yaml'], expect: { call: check } } },
    ...overrides,
  };
}
const module = (def: Record<string, unknown>) => `export default ${JSON.stringify(def, null, 2)};\n`;
const registry = (folders: string[]) =>
  folders.map((f, i) => `import s${i} from './${f}/scenario.ts';`).join('\n') +
  `\nexport const scenarios = [${folders.map((_, i) => `s${i}`).join(', ')}];\n`;
const common = {
  'manifests/mesh/demo.yaml': 'kind: IstioOperator\n',
  'manifests/workloads/curl.yaml': 'kind: Deployment\n',
  'manifests/workloads/httpbin.yaml': 'kind: Deployment\n',
};

async function problemsOf(root: string): Promise<{ location: string; message: string }[]> {
  try {
    await loadScenarios({ root });
  } catch (e) {
    assert.ok(e instanceof ScenarioLoadError, `expected ScenarioLoadError, got ${String(e)}`);
    return [...e.problems];
  }
  assert.fail('loadScenarios did not throw');
}

function expectProblem(problems: { location: string; message: string }[], location: string, message: RegExp): void {
  const hit = problems.find((p) => p.location === location && message.test(p.message));
  assert.ok(hit, `no problem at ${location} matching ${message}; got:\n${problems.map((p) => `  ${p.location}: ${p.message}`).join('\n')}`);
}

describe('loadScenarios', () => {
  test('a consistent tree loads and returns the registered definitions', async () => {
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['good-one']),
      'scenarios/good-one/scenario.ts': module(scenario('good-one')),
      'scenarios/good-one/README.md': '# good\n',
      'manifests/scenarios/good-one/broken/dr.yaml': 'kind: DestinationRule\n',
    });
    const loaded = await loadScenarios({ root });
    assert.deepEqual(
      loaded.map((s) => s.id),
      ['good-one'],
    );
    assert.equal(loaded[0]!.workloads[0]!.namespace, 'good-one-a');
  });

  test('every kind of problem is reported at once, each with its location', async () => {
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['alpha', 'beta', 'gamma', 'dup']),
      // alpha: phase checks a missing probe, probe from an unknown workload, envoy of unknown workload,
      // bad phase name, missing phase manifest, unknown cert and external references.
      'scenarios/alpha/scenario.ts': module(
        scenario('alpha', {
          isolation: 'gateway',
          certificates: [
            { name: 'root', kind: 'ca', subject: 'CN=root' },
            { name: 'leaf', kind: 'server', ca: 'nope', commonName: 'x', dnsNames: ['x'] },
          ],
          probes: {
            call: { kind: 'http', from: 'sleep', url: 'http://${external.site-z.ip}/' },
            stats: { kind: 'envoy', of: 'ghost', what: 'stats' },
            gw: { kind: 'ingress', url: 'https://x/', ca: 'leaf', clientCert: 'missing-cert' },
          },
          phases: {
            broken: { summary: 's', apply: ['broken/dr.yaml'], expect: { call: check, nothere: check } },
            repaired: { summary: 's', apply: [], expect: { call: check } },
            fixed: { summary: 's', apply: ['fixed/missing.yaml'], expect: { stats: check } },
          },
        }),
      ),
      'scenarios/alpha/README.md': '# alpha\n',
      'manifests/scenarios/alpha/broken/dr.yaml':
        'spec:\n  host: ${external.other.ip}\n  x: ${ca.unknown-ca.pem-path}\n  y: ${bogus.thing}\n',
      // beta: no README, missing workload manifest and mesh profile, namespace taken from alpha.
      'scenarios/beta/scenario.ts': module(
        scenario('beta', {
          mesh: { profile: 'no-such-profile', apply: ['mesh/absent.yaml'] },
          workloads: [
            { name: 'curl', namespace: 'alpha-a' },
            { name: 'httpbin', manifest: 'httpbin-v9', namespace: 'kube-public' },
          ],
          phases: { broken: { summary: 's', apply: [], expect: { call: check } } },
        }),
      ),
      // gamma: registered, but its id differs from its folder name.
      'scenarios/gamma/scenario.ts': module(scenario('Gamma_Case')),
      'scenarios/gamma/README.md': '# gamma\n',
      // dup: a second scenario with alpha's id.
      'scenarios/dup/scenario.ts': module(scenario('alpha')),
      'scenarios/dup/README.md': '#\n',
      // delta: a folder nobody registered; epsilon: a folder without scenario.ts.
      'scenarios/delta/scenario.ts': module(scenario('delta', { workloads: [{ name: 'curl', namespace: 'delta-a' }] })),
      'scenarios/epsilon/notes.md': 'x\n',
    });
    const p = await problemsOf(root);
    const m = 'scenarios/alpha/scenario.ts';
    expectProblem(p, 'scenarios/delta/scenario.ts', /scenario folder 'delta' is not registered/);
    expectProblem(p, 'scenarios/epsilon/', /folder without scenario\.ts/);
    expectProblem(p, 'scenarios/index.ts', /duplicate scenario id 'alpha' \(registered 2 times\)/);
    expectProblem(p, 'scenarios/gamma/scenario.ts', /id 'Gamma_Case' differs from its folder name 'gamma'/);
    expectProblem(p, 'scenarios/dup/scenario.ts', /id 'alpha' differs from its folder name 'dup'/);
    expectProblem(p, 'scenarios/Gamma_Case/scenario.ts: id', /not kebab-case/);
    expectProblem(p, 'scenarios/index.ts', /scenario 'Gamma_Case' has no folder scenarios\/Gamma_Case\//);
    expectProblem(p, `${m}: phases.broken.expect.nothere`, /checks probe 'nothere', which does not exist \(probes: call, stats, gw\)/);
    expectProblem(p, `${m}: probes.call.from`, /unknown workload 'sleep' \(declared: curl, httpbin\)/);
    expectProblem(p, `${m}: probes.stats.of`, /unknown workload 'ghost'/);
    expectProblem(p, `${m}: phases.repaired`, /invalid phase name 'repaired'/);
    expectProblem(p, `${m}: phases.fixed.apply[0]`, /missing manifest manifests\/scenarios\/alpha\/fixed\/missing\.yaml/);
    expectProblem(p, `${m}: certificates[1].ca`, /unknown certificate 'nope'/);
    expectProblem(p, `${m}: probes.gw.ca`, /'leaf' is a server certificate, not a CA/);
    expectProblem(p, `${m}: probes.gw.clientCert`, /unknown certificate 'missing-cert'/);
    expectProblem(p, `${m}: probes.call`, /unknown external service 'site-z'/);
    expectProblem(p, 'manifests/scenarios/alpha/broken/dr.yaml', /unknown external service 'other'/);
    expectProblem(p, 'manifests/scenarios/alpha/broken/dr.yaml', /unknown certificate 'unknown-ca'/);
    expectProblem(p, 'manifests/scenarios/alpha/broken/dr.yaml', /unknown placeholder \$\{bogus\.thing\}/);
    expectProblem(p, 'scenarios/beta/README.md', /missing: every scenario has a README\.md/);
    expectProblem(p, 'scenarios/beta/scenario.ts: mesh.profile', /missing manifest manifests\/mesh\/no-such-profile\.yaml/);
    expectProblem(p, 'scenarios/beta/scenario.ts: mesh.apply[0]', /missing manifest manifests\/mesh\/absent\.yaml/);
    expectProblem(p, 'scenarios/beta/scenario.ts: workloads[1]', /missing manifest manifests\/workloads\/httpbin-v9\.yaml/);
    expectProblem(p, 'scenarios/beta/scenario.ts: workloads[1].namespace', /namespace 'kube-public' is not the scenario's own/);
    expectProblem(p, 'scenarios/index.ts', /namespace 'alpha-a' is used by several scenarios \(alpha, beta\)/);
    expectProblem(
      p,
      'scenarios/Gamma_Case/scenario.ts: phases.broken.apply[0]',
      /missing manifest manifests\/scenarios\/Gamma_Case\/broken\/dr\.yaml/,
    );
    // Nothing is reported twice and nothing unexpected slips in.
    const lines = p.map((x) => `${x.location}: ${x.message}`);
    assert.equal(new Set(lines).size, lines.length, `duplicates in:\n${lines.join('\n')}`);
    assert.equal(p.length, 26, `unexpected problem count:\n${lines.join('\n')}`);
  });

  test('a registry that cannot be imported is a problem, not a crash', async () => {
    const root = tree({ 'scenarios/index.ts': 'export const scenarios = [;\n' });
    const p = await problemsOf(root);
    expectProblem(p, 'scenarios/index.ts', /cannot be imported/);
  });

  test('version expectations name existing phases, valid ranges and possible verdicts', async () => {
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['vers']),
      'scenarios/vers/scenario.ts': module(
        scenario('vers', {
          versions: [
            { istio: '<1.3', phase: 'broken', verdict: 'not-reproduced', because: 'fixed upstream' },
            { istio: 'not a range', phase: 'broken', verdict: 'fixed', because: 'x' },
            { istio: '>=1.25', phase: 'control-x', verdict: 'passed', because: 'x' },
          ],
        }),
      ),
      'scenarios/vers/README.md': '#\n',
      'manifests/scenarios/vers/broken/dr.yaml': 'x: 1\n',
    });
    const p = await problemsOf(root);
    expectProblem(p, 'scenarios/vers/scenario.ts: versions[1].istio', /'not a range' is not a semver range/);
    expectProblem(p, 'scenarios/vers/scenario.ts: versions[1].verdict', /verdict 'fixed' cannot happen in a failure phase/);
    expectProblem(p, 'scenarios/vers/scenario.ts: versions[2].phase', /phase 'control-x', which does not exist/);
    assert.equal(p.length, 3, p.map((x) => `${x.location}: ${x.message}`).join('\n'));
  });

  test('a phase that changes the mesh config needs isolation mesh', async () => {
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['meshy']),
      'scenarios/meshy/scenario.ts': module(
        scenario('meshy', {
          phases: {
            broken: { summary: 's', apply: ['broken/dr.yaml'], mesh: { meshConfig: { enableAutoMtls: true } }, expect: { call: check } },
          },
        }),
      ),
      'scenarios/meshy/README.md': '#\n',
      'manifests/scenarios/meshy/broken/dr.yaml': 'x: 1\n',
    });
    const p = await problemsOf(root);
    expectProblem(p, 'scenarios/meshy/scenario.ts: phases.broken.mesh', /must be isolation 'mesh' \(it is 'namespace'\)/);
    assert.equal(p.length, 1, p.map((x) => `${x.location}: ${x.message}`).join('\n'));
  });

  test('a namespace scenario that probes through the ingress gateway needs isolation gateway (it runs beside the gateway scenarios)', async () => {
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['front']),
      'scenarios/front/scenario.ts': module(
        scenario('front', {
          probes: { page: { kind: 'ingress', url: 'http://shop.example/' } },
          phases: { broken: { summary: 's', apply: ['broken/dr.yaml'], expect: { page: check } } },
        }),
      ),
      'scenarios/front/README.md': '#\n',
      'manifests/scenarios/front/broken/dr.yaml': 'x: 1\n',
    });
    const p = await problemsOf(root);
    expectProblem(p, 'scenarios/front/scenario.ts: probes.page', /goes through the ingress gateway.*make the scenario isolation 'gateway'/);
    assert.equal(p.length, 1, p.map((x) => `${x.location}: ${x.message}`).join('\n'));
  });

  test('a phase without a phase-specific check is reported, naming its checks', async () => {
    const generic = { name: 'status(404)' };
    const root = tree({
      ...common,
      'scenarios/index.ts': registry(['stale']),
      'scenarios/stale/scenario.ts': module(
        scenario('stale', {
          phases: {
            broken: { summary: 's', apply: ['broken/dr.yaml'], expect: { call: generic } },
            fixed: { summary: 's', apply: ['broken/dr.yaml'], expect: { call: check } },
          },
        }),
      ),
      'scenarios/stale/README.md': '#\n',
      'manifests/scenarios/stale/broken/dr.yaml': 'x: 1\n',
    });
    const p = await problemsOf(root);
    expectProblem(
      p,
      'scenarios/stale/scenario.ts: phases.broken.expect',
      /no phase-specific check: every check of 'broken' \(call\) could also hold .*phaseSpecific\(check, because\)/,
    );
    assert.equal(p.length, 1, p.map((x) => `${x.location}: ${x.message}`).join('\n'));
  });
});
