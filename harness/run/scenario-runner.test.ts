import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareScenario, runScenario } from './scenario-runner.ts';
import { fakeWorld } from './testing/fake-world.ts';
import type { Check } from '../model/check.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { InfrastructureError, PrerequisiteError } from '../model/errors.ts';
import type { KubeObject } from '../kube/manifest-objects.ts';

const status = (code: number): Check<{ status: number }> => ({
  name: `status(${code})`,
  evaluate: (o) => ({ ok: o.status === code, message: `expected status ${code}, got ${o.status}` }),
});

const ID = 'dr-demo';
const MANIFESTS: Record<string, string> = {
  'workloads/curl.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: curl }
spec: { selector: { matchLabels: { app: curl } }, template: { metadata: { labels: { app: curl } }, spec: { containers: [{ name: curl, image: curlimages/curl:8.16.0 }] } } }
`,
  'workloads/httpbin.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: httpbin }
spec: { selector: { matchLabels: { app: httpbin } }, template: { metadata: { labels: { app: httpbin } }, spec: { containers: [{ name: httpbin, image: mccutchen/go-httpbin:v2.15.0 }] } } }
---
apiVersion: v1
kind: Service
metadata: { name: httpbin }
spec: { ports: [{ port: 8000, targetPort: 8080 }] }
`,
  'mesh/strict.yaml': `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
`,
  [`scenarios/${ID}/broken/destination-rule.yaml`]: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: demo1 }
spec: { host: httpbin, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } }
`,
  [`scenarios/${ID}/fixed/destination-rule.yaml`]: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: demo1 }
spec: { host: httpbin, trafficPolicy: { tls: { mode: ISTIO_MUTUAL }, connectionPool: { tcp: { maxConnections: 1 } } } }
`,
  [`scenarios/${ID}/workaround/httpbin-annotated.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: { name: httpbin, namespace: demo1, annotations: { note: phase } }
spec: { selector: { matchLabels: { app: httpbin } }, template: { metadata: { labels: { app: httpbin }, annotations: { sidecar.istio.io/inject: "false" } }, spec: { containers: [{ name: httpbin, image: mccutchen/go-httpbin:v2.15.0 }] } } }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: demo1 }
spec: { hosts: [db.example], addresses: ["\${service.demo1/httpbin.clusterIP}"], endpoints: [{ address: "\${external.mysql.ip}" }], ports: [{ number: 3306, name: tcp, protocol: TCP }] }
`,
  [`scenarios/${ID}/gateway/secret-owner.yaml`]: `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shared, namespace: istio-system }
spec: { selector: { istio: ingressgateway }, servers: [] }
`,
};

function scenario(over: Partial<ScenarioDefinition> = {}): ScenarioDefinition {
  return {
    id: ID,
    title: 't',
    source: { title: 's' },
    symptom: 's',
    cause: 'c',
    fix: 'f',
    mesh: { profile: 'casebook-demo', apply: ['mesh/strict.yaml'] },
    isolation: 'namespace',
    workloads: [
      { name: 'curl', namespace: 'demo1' },
      { name: 'httpbin', namespace: 'demo1' },
    ],
    probes: { call: { kind: 'http', from: 'curl', url: 'http://httpbin:8000/get' } },
    phases: {
      broken: { summary: 'DR without tls', apply: ['broken/destination-rule.yaml'], expect: { call: status(503) } },
      fixed: { summary: 'DR with ISTIO_MUTUAL', apply: ['fixed/destination-rule.yaml'], expect: { call: status(200) } },
    },
    ...over,
  };
}

/** 503 while a DestinationRule for httpbin without a tls block exists (auto mTLS off), else 200. */
function respond(live: Map<string, KubeObject>): { status: number } {
  const dr = [...live.values()].find((o) => o.kind === 'DestinationRule' && o.metadata.name === 'httpbin');
  const tls = (dr?.['spec'] as { trafficPolicy?: { tls?: unknown } } | undefined)?.trafficPolicy?.tls;
  return { status: dr && !tls ? 503 : 200 };
}

const OPTS = { istio: '1.30.3', runId: 'r1', keep: false };

test('phases run apply → rollout → settle → evidence → verdict → revert (but the last), in declaration order, then teardown in reverse', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const out = await runScenario(scenario(), world.deps, OPTS);
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict, r.expected, r.asExpected]),
    [
      ['broken', 'reproduced', 'reproduced', true],
      ['fixed', 'fixed', 'fixed', true],
    ],
  );
  assert.deepEqual(world.timeline, [
    `step ${ID}: setup`,
    'namespace demo1 injected=true',
    'apply Deployment demo1/curl',
    'apply Deployment demo1/httpbin',
    'apply Service demo1/httpbin',
    'rollout demo1/curl',
    'rollout demo1/httpbin',
    'apply PeerAuthentication istio-system/default',
    `step ${ID} › broken`,
    'apply DestinationRule demo1/httpbin',
    'observe http://httpbin:8000/get',
    'settled call held=true',
    'evidence broken',
    'verdict broken=reproduced',
    'delete DestinationRule demo1/httpbin',
    `step ${ID} › fixed`,
    'apply DestinationRule demo1/httpbin',
    'observe http://httpbin:8000/get',
    'settled call held=true',
    'evidence fixed',
    'verdict fixed=fixed',
    // The last phase is not reverted: its DestinationRule goes with the namespace.
    'delete PeerAuthentication istio-system/default',
    'dispose certs',
    'delete namespace demo1',
  ]);
  assert.deepEqual(out.teardown.failed, []);
  assert.equal(world.live.size, 4, "the workloads and the last phase's rule remain until their namespace is deleted by teardown");
  const probe = out.results[0]!.probes[0]!;
  assert.equal(probe.attempts.length, 1);
  assert.deepEqual(
    out.results[0]!.evidence.map((e) => e.path),
    [`${ID}/broken/probes.json`],
  );
});

test('a phase that does not show its signature gets the honest verdict, not the expected one', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond: () => ({ status: 200 }) });
  const out = await runScenario(scenario(), world.deps, OPTS);
  const broken = out.results.find((r) => r.phase === 'broken')!;
  assert.equal(broken.verdict, 'not-reproduced');
  assert.equal(broken.asExpected, false);
  assert.equal(broken.probes[0]!.attempts.length, 3, 'every attempt recorded');
});

test('a transport failure is verdict error, never reproduced or fixed; the phase is still reverted before the next', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.failures.observe = new InfrastructureError('exec in demo1/curl-1 could not connect: 500');
  const out = await runScenario(scenario(), world.deps, OPTS);
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['error', 'error'],
  );
  assert.match(out.results[0]!.error!, /probe call: exec in demo1\/curl-1 could not connect/);
  assert.equal(out.results[0]!.probes[0]!.infrastructureError, true);
  assert.ok(
    world.timeline.indexOf('delete DestinationRule demo1/httpbin') < world.timeline.indexOf(`step ${ID} › fixed`),
    'broken reverted before fixed',
  );
  assert.equal(
    world.timeline.filter((l) => l === 'delete DestinationRule demo1/httpbin').length,
    1,
    'the last phase is left to the teardown',
  );
});

test('an apply the server refuses is verdict error and nothing is probed', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.failures.applyMatching = /DestinationRule/;
  const out = await runScenario(scenario(), world.deps, OPTS);
  assert.equal(out.results[0]!.verdict, 'error');
  assert.match(out.results[0]!.error!, /could not apply DestinationRule demo1\/httpbin: HTTP 422/);
  assert.ok(!world.timeline.some((l) => l.startsWith('observe')));
});

test('a namespace that is not ours stops setup: every phase is error and nothing is applied', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.failures.namespace = new PrerequisiteError('namespace demo1 exists and is not labelled casebook.dev/managed-by=istio-casebook');
  const out = await runScenario(scenario(), world.deps, OPTS);
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict]),
    [
      ['broken', 'error'],
      ['fixed', 'error'],
    ],
  );
  assert.match(out.results[0]!.error!, /^setup failed: namespace demo1 exists and is not labelled/);
  assert.ok(!world.timeline.some((l) => l.startsWith('apply') || l.startsWith('delete')));
});

test('a workload that does not roll out is error for every phase, and what setup made is torn down in reverse', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.failures.rollout = new InfrastructureError(
    'not rolled out after 300s: deployment demo1/curl: h1: sidecar istio-proxy not ready (waiting: ImagePullBackOff)',
  );
  const out = await runScenario(scenario({ external: [{ name: 'mysql', kind: 'mysql' }] }), world.deps, OPTS);
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['error', 'error'],
  );
  assert.match(out.results[1]!.error!, /^setup failed: not rolled out after 300s: .*ImagePullBackOff/);
  assert.deepEqual(world.timeline.slice(world.timeline.indexOf('apply Service demo1/httpbin') + 1), [
    'verdict broken=error',
    'verdict fixed=error',
    'stop externals',
    'dispose certs',
    'delete namespace demo1',
  ]);
  assert.deepEqual(out.teardown.ran, ['stop external services', "remove the run's certificates and keys", 'delete namespace demo1']);
});

test('a phase that replaced a base workload is reverted by applying the base again; placeholders resolve first', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const s = scenario({
    external: [{ name: 'mysql', kind: 'mysql' }],
    // A phase after it, so it is reverted (the last phase is not).
    phases: {
      'workaround-annotation': { summary: 'w', apply: ['workaround/httpbin-annotated.yaml'], expect: { call: status(200) } },
      fixed: { summary: 'f', apply: ['fixed/destination-rule.yaml'], expect: { call: status(200) } },
    },
  });
  const out = await runScenario(s, world.deps, OPTS);
  assert.equal(out.results[0]!.verdict, 'fixed');
  const phase = world.timeline.slice(
    world.timeline.indexOf(`step ${ID} › workaround-annotation`),
    world.timeline.indexOf(`step ${ID} › fixed`),
  );
  assert.deepEqual(phase, [
    `step ${ID} › workaround-annotation`,
    'clusterIP demo1/httpbin',
    'apply Deployment demo1/httpbin',
    'apply ServiceEntry demo1/db',
    'rollout demo1/httpbin',
    'observe http://httpbin:8000/get',
    'settled call held=true',
    'evidence workaround-annotation',
    'verdict workaround-annotation=fixed',
    'delete ServiceEntry demo1/db',
    'apply Deployment demo1/httpbin',
    'rollout demo1/httpbin',
  ]);
  const restored = world.live.get('apps|Deployment|demo1|httpbin')!;
  assert.equal(restored.metadata['annotations'], undefined, 'the base manifest is what is live again');
  assert.ok(world.timeline.includes('start externals mysql') && world.timeline.includes('stop externals'));
});

test('placeholders in phase manifests reach the cluster resolved', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const applied: KubeObject[] = [];
  const apply = world.deps.cluster.objects.apply;
  world.deps.cluster.objects.apply = async (objs) => {
    applied.push(...objs);
    return apply(objs);
  };
  await runScenario(
    scenario({
      external: [{ name: 'mysql', kind: 'mysql' }],
      phases: { broken: { summary: 'w', apply: ['workaround/httpbin-annotated.yaml'], expect: { call: status(200) } } },
    }),
    world.deps,
    OPTS,
  );
  const se = applied.find((o) => o.kind === 'ServiceEntry')!;
  assert.deepEqual((se['spec'] as { addresses: string[] }).addresses, ['10.96.0.20']);
  assert.deepEqual((se['spec'] as { endpoints: { address: string }[] }).endpoints, [{ address: '172.18.0.9' }]);
  assert.equal(se.metadata.labels?.['casebook.dev/run'], 'r1');
});

test('a failed revert stops the later phases with error instead of running them on a dirty mesh', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.failures.revert = true;
  const out = await runScenario(scenario(), world.deps, OPTS);
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['reproduced', 'error'],
  );
  assert.match(out.results[1]!.error!, /^not run: could not revert phase broken: fake: API server unreachable/);
});

test('--phase and version expectations skip phases with a reason', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const s = scenario({ versions: [{ istio: '>=1.30', phase: 'fixed', verdict: 'skipped', because: 'not applicable from 1.30' }] });
  const out = await runScenario(s, world.deps, { ...OPTS, phases: ['fixed'] });
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict, r.skippedReason]),
    [
      ['broken', 'skipped', 'not selected (--phase fixed)'],
      ['fixed', 'skipped', 'not applicable from 1.30'],
    ],
  );
  assert.ok(!world.timeline.some((l) => l.startsWith('apply DestinationRule')));
});

test('an object outside our namespaces that exists without our label is not overwritten', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  world.foreign.set('networking.istio.io|Gateway|istio-system|shared', { team: 'platform' });
  const out = await runScenario(
    scenario({ phases: { broken: { summary: 'g', apply: ['gateway/secret-owner.yaml'], expect: { call: status(503) } } } }),
    world.deps,
    OPTS,
  );
  assert.equal(out.results[0]!.verdict, 'error');
  assert.match(out.results[0]!.error!, /Gateway istio-system\/shared already exists and is not labelled/);
  assert.ok(!world.timeline.some((l) => l.includes('Gateway')), 'neither applied nor deleted');
});

test('with keep nothing is torn down and the cleanup commands are returned', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const out = await runScenario(scenario(), world.deps, { ...OPTS, keep: true });
  assert.ok(!world.timeline.some((l) => l.startsWith('delete namespace') || l === 'dispose certs'));
  assert.deepEqual(out.teardown.commands, [
    'kubectl --kubeconfig /run/kubeconfig delete peerauthentication default -n istio-system',
    'rm -rf /tmp/fake-certs',
    'kubectl --kubeconfig /run/kubeconfig delete namespace demo1',
  ]);
});

test('with keep the last phase that runs stays applied; earlier phases are still reverted', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const out = await runScenario(scenario(), world.deps, { ...OPTS, keep: true });
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict]),
    [
      ['broken', 'reproduced'],
      ['fixed', 'fixed'],
    ],
  );
  const deletes = world.timeline.filter((l) => l.startsWith('delete DestinationRule'));
  assert.equal(deletes.length, 1, `only broken's rule is reverted, got ${JSON.stringify(deletes)}`);
  const appliedFixed = world.timeline.lastIndexOf('apply DestinationRule demo1/httpbin');
  assert.ok(appliedFixed > world.timeline.indexOf(deletes[0]!), 'the fixed rule is applied after broken was reverted and never deleted');
});

test('with keep, what the last phase left outside the scenario namespaces comes with its delete command', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const base = scenario();
  const withGateway = scenario({
    phases: { ...base.phases, fixed: { ...base.phases.fixed!, apply: ['fixed/destination-rule.yaml', 'gateway/secret-owner.yaml'] } },
  });
  const out = await runScenario(withGateway, world.deps, { ...OPTS, keep: true });
  assert.deepEqual(out.teardown.commands, [
    'kubectl --kubeconfig /run/kubeconfig delete gateway shared -n istio-system',
    'kubectl --kubeconfig /run/kubeconfig delete peerauthentication default -n istio-system',
    'rm -rf /tmp/fake-certs',
    'kubectl --kubeconfig /run/kubeconfig delete namespace demo1',
  ]);
});

test('with keep and --phase broken, the broken state is what stays on the cluster', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const out = await runScenario(scenario(), world.deps, { ...OPTS, keep: true, phases: ['broken'] });
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict]),
    [
      ['broken', 'reproduced'],
      ['fixed', 'skipped'],
    ],
  );
  assert.ok(!world.timeline.some((l) => l.startsWith('delete DestinationRule')), 'broken rule left applied');
});

test('Ctrl-C during a phase: teardown starts at once (LIFO), the running phase is judged, later phases are errors', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const interrupt = new AbortController();
  const observe = world.deps.observe;
  world.deps.observe = async (spec, ctx) => {
    const o = await observe(spec, ctx);
    if (!interrupt.signal.aborted) interrupt.abort();
    await new Promise((r) => setImmediate(r));
    return o;
  };
  const out = await runScenario(scenario(), world.deps, { ...OPTS, signal: interrupt.signal });
  assert.deepEqual(
    out.results.map((r) => [r.phase, r.verdict]),
    [
      ['broken', 'reproduced'],
      ['fixed', 'error'],
    ],
  );
  assert.match(out.results[1]!.error!, /^not run: interrupted/);
  const observed = world.timeline.indexOf('observe http://httpbin:8000/get');
  assert.deepEqual(
    world.timeline.slice(observed + 1, observed + 4),
    ['delete PeerAuthentication istio-system/default', 'dispose certs', 'delete namespace demo1'],
    'teardown ran in reverse right after the interrupt',
  );
  assert.equal(world.timeline.filter((l) => l.startsWith('step')).length, 2, 'no step for the fixed phase');
});

test('a phase with its own mesh config installs it first, restarts workloads for proxyMetadata, and restores the scenario mesh after', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const s = scenario({
    mesh: { profile: 'casebook-demo', meshConfig: { enableAutoMtls: false } },
    // A phase after it, so it is reverted (the last phase is not).
    phases: {
      'control-auto-mtls': {
        summary: 'c',
        apply: [],
        mesh: { meshConfig: { enableAutoMtls: true }, proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
        expect: { call: status(200) },
      },
      fixed: { summary: 'f', apply: ['fixed/destination-rule.yaml'], expect: { call: status(200) } },
    },
  });
  const applied: KubeObject[] = [];
  const apply = world.deps.cluster.objects.apply;
  world.deps.cluster.objects.apply = async (objs) => {
    applied.push(...objs);
    return apply(objs);
  };
  const out = await runScenario(s, world.deps, OPTS);
  assert.equal(out.results[0]!.verdict, 'passed');
  const phase = world.timeline.slice(
    world.timeline.indexOf(`step ${ID} › control-auto-mtls`) + 1,
    world.timeline.indexOf(`step ${ID} › fixed`),
  );
  assert.deepEqual(phase, [
    'mesh {"enableAutoMtls":true,"ISTIO_META_DNS_CAPTURE":"true"}',
    'apply Deployment demo1/curl',
    'apply Deployment demo1/httpbin',
    'rollout demo1/curl',
    'rollout demo1/httpbin',
    'observe http://httpbin:8000/get',
    'settled call held=true',
    'evidence control-auto-mtls',
    'verdict control-auto-mtls=passed',
    'mesh {"enableAutoMtls":false}',
    'apply Deployment demo1/curl',
    'apply Deployment demo1/httpbin',
    'rollout demo1/curl',
    'rollout demo1/httpbin',
  ]);
  const annotations = (o: KubeObject) =>
    (o['spec'] as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations;
  const deployments = applied.filter((o) => o.kind === 'Deployment');
  assert.deepEqual(deployments.map(annotations), [
    undefined,
    undefined,
    { 'casebook.dev/restarted-for-phase': 'control-auto-mtls' },
    { 'casebook.dev/restarted-for-phase': 'control-auto-mtls' },
    undefined,
    undefined,
  ]);
});

test('the last phase is not reverted: no rollback rollout or mesh restore; what it put outside the namespaces is deleted by teardown', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const s = scenario({
    mesh: { profile: 'casebook-demo', meshConfig: { enableAutoMtls: false } },
    phases: {
      'control-auto-mtls': {
        summary: 'c',
        apply: ['gateway/secret-owner.yaml'],
        mesh: { meshConfig: { enableAutoMtls: true }, proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
        expect: { call: status(200) },
      },
    },
  });
  const out = await runScenario(s, world.deps, OPTS);
  assert.equal(out.results[0]!.verdict, 'passed');
  const after = world.timeline.slice(world.timeline.indexOf('verdict control-auto-mtls=passed') + 1);
  assert.deepEqual(after, ['delete Gateway istio-system/shared', 'dispose certs', 'delete namespace demo1']);
  assert.deepEqual(out.teardown.failed, []);
  assert.equal(world.live.has('networking.istio.io|Gateway|istio-system|shared'), false, 'nothing of ours is left outside the namespaces');
});

test("setup: the scenario's Secrets and objects exist before its workloads, stay through every phase, and go at teardown (nginx mounts its Secret at start)", async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const out = await runScenario(
    scenario({
      setup: {
        secrets: [{ name: 'nginx-server-certs', namespace: 'demo1', format: 'tls', cert: 'nginx' }],
        apply: ['gateway/secret-owner.yaml'],
      },
    }),
    world.deps,
    OPTS,
  );
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['reproduced', 'fixed'],
  );
  const at = (line: string) => world.timeline.indexOf(line);
  assert.ok(
    at('apply Secret demo1/nginx-server-certs') >= 0 && at('apply Secret demo1/nginx-server-certs') < at('apply Deployment demo1/curl'),
    world.timeline.join('\n'),
  );
  // The Gateway configures the shared ingress gateway: it waits for the scenario's turn, after the workloads.
  assert.ok(
    at('apply Gateway istio-system/shared') > at('rollout demo1/httpbin') &&
      at('apply Gateway istio-system/shared') < at(`step ${ID} › broken`),
  );
  // No phase deletes them; the Gateway outside the namespaces has its own teardown step, the Secret goes with demo1.
  assert.deepEqual(
    world.timeline.filter((l) => /Secret|Gateway/.test(l)),
    ['apply Secret demo1/nginx-server-certs', 'apply Gateway istio-system/shared', 'delete Gateway istio-system/shared'],
  );
  assert.ok(at('delete Gateway istio-system/shared') > at('verdict fixed=fixed'));
});

test('setup: a phase Secret of the same name replaces the setup Secret in place (a rotation), and the revert puts the setup version back instead of deleting it', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const cred = (cert: string) => ({ name: 'cred', namespace: 'istio-system', format: 'tls' as const, cert });
  const base = scenario();
  const certs: string[] = [];
  const apply = world.deps.cluster.objects.apply;
  world.deps.cluster.objects.apply = async (objects) => {
    for (const o of objects) if (o.kind === 'Secret') certs.push((o['data'] as Record<string, string>)['tls.crt']!);
    return apply(objects);
  };
  const out = await runScenario(
    scenario({
      setup: { secrets: [cred('first')] },
      phases: {
        broken: { ...base.phases.broken!, secrets: [cred('rotated')] },
        fixed: { ...base.phases.fixed!, secrets: [cred('rotated')] },
      },
    }),
    world.deps,
    OPTS,
  );
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['reproduced', 'fixed'],
  );
  const secretLines = world.timeline.filter((l) => l.includes('Secret istio-system/cred') || l.startsWith('step'));
  assert.deepEqual(
    secretLines,
    [
      `step ${ID}: setup`,
      `step ${ID}: setup objects at its turn`,
      'apply Secret istio-system/cred',
      `step ${ID} › broken`,
      'apply Secret istio-system/cred',
      'apply Secret istio-system/cred',
      `step ${ID} › fixed`,
      'apply Secret istio-system/cred',
      'delete Secret istio-system/cred',
    ],
    'never deleted between phases: replaced, restored, replaced; deleted once at teardown',
  );
  // The fake's Secret carries the certificate's name: setup, rotated, back to setup, rotated.
  assert.deepEqual(certs, ['first', 'rotated', 'first', 'rotated']);
  assert.equal(out.teardown.failed.length, 0);
});

test('setup: with keep, the setup objects outside the namespaces are among the cleanup commands, once', async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const cred = { name: 'cred', namespace: 'istio-system', format: 'tls' as const, cert: 'first' };
  const base = scenario();
  const out = await runScenario(
    scenario({ setup: { secrets: [cred] }, phases: { fixed: { ...base.phases.fixed!, secrets: [{ ...cred, cert: 'rotated' }] } } }),
    world.deps,
    { ...OPTS, keep: true },
  );
  assert.equal(
    out.teardown.commands.filter((c) => c.includes('delete secret cred -n istio-system')).length,
    1,
    out.teardown.commands.join('\n'),
  );
});

test("setup in a run's setup wave: what a pod mounts is made with the workloads, what touches the shared gateway only at the scenario's turn", async () => {
  const world = fakeWorld({ manifests: MANIFESTS, respond });
  const sc = scenario({
    setup: {
      secrets: [{ name: 'nginx-server-certs', namespace: 'demo1', format: 'tls', cert: 'nginx' }],
      apply: ['gateway/secret-owner.yaml'],
    },
  });
  const prepared = await prepareScenario(sc, world.deps, OPTS);
  assert.ok(world.timeline.includes('apply Secret demo1/nginx-server-certs'));
  assert.ok(
    !world.timeline.includes('apply Gateway istio-system/shared'),
    'not in the wave: another gateway scenario may be running its phases',
  );
  const out = await runScenario(sc, world.deps, { ...OPTS, prepared });
  assert.deepEqual(
    out.results.map((r) => r.verdict),
    ['reproduced', 'fixed'],
  );
  assert.ok(world.timeline.indexOf('apply Gateway istio-system/shared') < world.timeline.indexOf(`step ${ID} › broken`));
  assert.ok(world.timeline.includes('delete Gateway istio-system/shared'));
});

test("fake world, not a cluster: namespace-isolated scenarios run their phases beside each other, at most --concurrency at once, each scenario's phases still in order", async () => {
  const { runBatches, scheduleByIsolation } = await import('./isolation-schedule.ts');
  const ok: Check<{ status: number }> = status(200);
  const ns = (id: string, namespace: string): ScenarioDefinition =>
    scenario({
      id,
      mesh: { profile: 'casebook-demo' },
      workloads: [{ name: 'curl', namespace }],
      probes: { call: { kind: 'http', from: 'curl', url: 'http://httpbin:8000/get' } },
      phases: { broken: { summary: 'b', apply: [], expect: { call: ok } }, fixed: { summary: 'f', apply: [], expect: { call: ok } } },
    });
  const scenarios = [ns('ns-a', 'a'), ns('ns-b', 'b'), ns('ns-c', 'c')];
  const batches = scheduleByIsolation(scenarios.map((s) => ({ id: s.id, isolation: s.isolation, installKey: 'demo' })));
  const run = async (concurrency: number) => {
    const world = fakeWorld({ manifests: MANIFESTS, respond: () => ({ status: 200 }) });
    const outs = await runBatches(
      batches,
      (id) =>
        runScenario(
          scenarios.find((s) => s.id === id)!,
          world.deps,
          OPTS,
        ),
      { concurrency },
    );
    const steps = world.timeline.filter((l) => l.startsWith('step ') || l.startsWith('verdict '));
    return { outs, steps, timeline: world.timeline };
  };
  const two = await run(2);
  assert.ok(two.outs.every((o) => o.results.every((r) => r.asExpected)));
  const at = (line: string) => two.timeline.indexOf(line);
  // ns-b's first phase starts before ns-a's last phase has its verdict: they overlap.
  assert.ok(at('step ns-b › broken') < at('verdict fixed=fixed'), two.steps.join('\n'));
  // ns-c waits for a free lane: it starts after one of the first two ended.
  assert.ok(
    at('step ns-c: setup') > at('delete namespace a') || at('step ns-c: setup') > at('delete namespace b'),
    two.timeline.join('\n'),
  );
  for (const id of ['ns-a', 'ns-b', 'ns-c']) assert.ok(at(`step ${id} › broken`) < at(`step ${id} › fixed`));

  const one = await run(1);
  const order = one.timeline.filter((l) => / › /.test(l));
  assert.deepEqual(order, [
    'step ns-a › broken',
    'step ns-a › fixed',
    'step ns-b › broken',
    'step ns-b › fixed',
    'step ns-c › broken',
    'step ns-c › fixed',
  ]);
});
