import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import scenario from '../../scenarios/destinationrule-without-tls-overrides-mesh-mtls/scenario.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { mergeMesh, planManifestPaths, planRun, type PlanInput } from './plan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const manifests = new Map(planManifestPaths([scenario]).map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]));
const input: PlanInput = { scenarios: [scenario], istioVersions: ['1.30.3'], manifests };

describe('planRun (the first scenario, real manifests)', () => {
  const plan = planRun(input);
  const v = plan.versions[0]!;
  const s = v.scenarios[0]!;

  test('reads exactly the files the scenario names', () => {
    assert.deepEqual([...manifests.keys()].sort(), [
      'manifests/mesh/casebook-demo.yaml',
      'manifests/mesh/istio-mutual-destination-rule.yaml',
      'manifests/mesh/strict-mtls.yaml',
      'manifests/scenarios/destinationrule-without-tls-overrides-mesh-mtls/broken/destination-rule.yaml',
      'manifests/scenarios/destinationrule-without-tls-overrides-mesh-mtls/fixed/destination-rule.yaml',
      'manifests/workloads/curl.yaml',
      'manifests/workloads/httpbin.yaml',
    ]);
  });

  test('kind cluster: pinned node image and the ingress port mappings', () => {
    assert.equal(plan.cluster.name, 'casebook');
    assert.match(plan.cluster.nodeImage, /^kindest\/node:v[\d.]+@sha256:[0-9a-f]{64}$/);
    const node = (plan.cluster.config['nodes'] as { extraPortMappings: { hostPort: number; containerPort: number }[] }[])[0]!;
    assert.deepEqual(
      node.extraPortMappings.map((m) => `${m.hostPort}->${m.containerPort}`),
      ['8080->30080', '8443->30443', '15021->30021'],
    );
  });

  test('one install (the profile); auto mTLS off is a mesh-config patch for the scenario, the control phase restores the default; same config, same hash', () => {
    assert.equal(v.installs.length, 1);
    const [base] = v.installs;
    assert.equal(s.install, base!.hash);
    assert.deepEqual(base!.meshConfig, {});
    const mc = (iop: Record<string, unknown>) => (iop['spec'] as { meshConfig: Record<string, unknown> }).meshConfig;
    assert.equal(mc(base!.istioOperator)['enableAutoMtls'], undefined, 'not installed: patched into the istio ConfigMap');
    assert.equal(mc(base!.istioOperator)['accessLogFile'], '/dev/stdout');
    assert.deepEqual(s.meshPatch, { meshConfig: { enableAutoMtls: false } });
    assert.deepEqual(base!.istioctl.slice(0, 4), ['install', '-y', '-f', `<run-dir>/istio-${base!.hash}.yaml`]);
    const phases = Object.fromEntries(s.phases.map((p) => [p.name, p]));
    assert.equal(phases['control-auto-mtls']!.install, undefined, 'no phase needs its own install');
    assert.deepEqual(phases['control-auto-mtls']!.meshPatch, {}, 'enableAutoMtls: true is the default: the installed mesh');
    assert.equal(phases['broken']!.meshPatch, undefined);
    assert.equal(planRun(input).versions[0]!.installs[0]!.hash, base!.hash, 'the hash is stable');
    assert.notEqual(
      planRun({ ...input, istioVersions: ['1.29.6'] }).versions[0]!.installs[0]!.hash,
      base!.hash,
      'another version, another install',
    );
  });

  test('namespaces, workloads and mesh-wide objects are labelled as ours; workloads land in their namespace', () => {
    assert.deepEqual(
      s.namespaces.map((n) => [n.metadata.name, n.metadata.labels]),
      [
        [
          'foo',
          {
            'casebook.dev/managed-by': 'istio-casebook',
            'casebook.dev/scenario': scenario.id,
            'casebook.dev/run': 'planned',
            'istio-injection': 'enabled',
          },
        ],
      ],
    );
    const all = [...s.workloads.flatMap((w) => w.objects), ...s.meshObjects, ...s.phases.flatMap((p) => p.objects)];
    for (const o of all) assert.equal(o.metadata.labels?.['casebook.dev/managed-by'], 'istio-casebook', `${o.kind} ${o.metadata.name}`);
    assert.deepEqual(
      s.workloads.flatMap((w) => w.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)),
      [
        'ServiceAccount foo/curl',
        'Service foo/curl',
        'Deployment foo/curl',
        'ServiceAccount foo/httpbin',
        'Service foo/httpbin',
        'Deployment foo/httpbin',
      ],
    );
    assert.deepEqual(
      s.meshObjects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
      ['PeerAuthentication istio-system/default', 'DestinationRule istio-system/default'],
    );
  });

  test('per phase: the objects, the probes and the names of their checks, and the expected verdict', () => {
    const broken = s.phases.find((p) => p.name === 'broken')!;
    assert.equal(broken.expected, 'reproduced');
    assert.deepEqual(
      broken.objects.map((o) => (o['spec'] as { trafficPolicy: Record<string, unknown> }).trafficPolicy['tls']),
      [undefined],
    );
    assert.deepEqual(
      broken.probes.map((p) => [p.name, p.check]),
      [
        [
          'call',
          'all(status(503), any(bodyStartsWith("upstream connect error or disconnect/reset before headers"), bodyStartsWith("no healthy upstream")))',
        ],
        ['clientStats', 'statEquals("upstream_rq_pending_overflow", 0)'],
        ['clientLog', 'responseFlags(UC or UR)'],
        ['clientCluster', 'cluster(httpbin.foo.svc.cluster.local plain max_connections=1)'],
      ],
    );
    const fixed = s.phases.find((p) => p.name === 'fixed')!;
    assert.equal(fixed.expected, 'fixed');
    assert.deepEqual(fixed.probes.find((p) => p.name === 'burst')!.spec, {
      kind: 'http',
      from: 'curl',
      url: 'http://httpbin:8000/delay/1',
      repeat: 20,
      concurrency: 20,
      timeoutMs: 10_000,
    });
    assert.deepEqual(
      s.phases.map((p) => [p.name, p.intent, p.expected]),
      [
        ['control-mesh-mtls', 'control', 'passed'],
        ['broken', 'failure', 'reproduced'],
        ['fixed', 'fix', 'fixed'],
        ['control-auto-mtls', 'control', 'passed'],
      ],
    );
  });

  test('the plan is JSON data (what --json prints)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
  });
});

describe('planRun ordering and expectations', () => {
  const fake = (id: string, isolation: ScenarioDefinition['isolation'], extra: Partial<ScenarioDefinition> = {}): ScenarioDefinition => ({
    ...scenario,
    id,
    isolation,
    workloads: [
      { name: 'curl', namespace: `${id}-ns` },
      { name: 'httpbin', namespace: `${id}-ns` },
    ],
    mesh: { profile: 'casebook-demo' },
    phases: { broken: { summary: 's', apply: [], expect: {} } },
    ...extra,
  });

  test('namespace scenarios and the lane of gateway ones share a batch; mesh ones run alone, last', () => {
    const scenarios = [fake('m1', 'mesh'), fake('n1', 'namespace'), fake('g1', 'gateway'), fake('n2', 'namespace')];
    const plan = planRun({ ...input, scenarios });
    const v = plan.versions[0]!;
    assert.deepEqual(
      v.batches.map((b) => [b.lane, b.pool]),
      [
        [['g1'], ['n1', 'n2']],
        [['m1'], []],
      ],
    );
    assert.deepEqual(
      v.scenarios.map((s) => s.id),
      ['g1', 'n1', 'n2', 'm1'],
    );
  });

  test('version expectations decide the expected verdict per Istio version', () => {
    const s = fake('old', 'namespace', {
      versions: [{ istio: '<1.30', phase: 'broken', verdict: 'not-reproduced', because: 'fixed upstream in 1.30' }],
    });
    const plan = planRun({ ...input, scenarios: [s], istioVersions: ['1.29.6', '1.30.3'] });
    assert.deepEqual(
      plan.versions.map((v) => [v.istio, v.scenarios[0]!.phases[0]!.expected, v.scenarios[0]!.phases[0]!.expectedBecause]),
      [
        ['1.29.6', 'not-reproduced', 'fixed upstream in 1.30'],
        ['1.30.3', 'reproduced', undefined],
      ],
    );
  });

  test('a missing manifest in the input is a programming error that names the file', () => {
    assert.throws(() => planRun({ ...input, manifests: new Map() }), /plan input lacks manifests\/mesh\/casebook-demo\.yaml/);
  });

  test('mergeMesh: phase overrides merge deeply into the scenario mesh', () => {
    const merged = mergeMesh(
      { profile: 'p', meshConfig: { enableAutoMtls: false, defaultConfig: { holdApplicationUntilProxyStarts: true } } },
      { meshConfig: { enableAutoMtls: true, defaultConfig: { concurrency: 2 } }, proxyMetadata: { A: '1' } },
    );
    assert.deepEqual(merged, {
      profile: 'p',
      meshConfig: { enableAutoMtls: true, defaultConfig: { holdApplicationUntilProxyStarts: true, concurrency: 2 } },
      proxyMetadata: { A: '1' },
    });
  });
});
