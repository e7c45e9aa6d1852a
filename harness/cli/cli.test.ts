import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { makeTempRoot, REPO, SCENARIO, snapshot } from './testing/temp-root.ts';

/**
 * The CLI as a user runs it: `node bin/casebook.mjs …` in a child process, against a temp root
 * (CASEBOOK_ROOT) so a test can plant a typo without touching the repository.
 */
const BIN = join(REPO, 'bin', 'casebook.mjs');
let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

function casebook(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    timeout: 60_000,
    env: { CASEBOOK_ROOT: root, ...env },
    cwd: REPO,
  });
}

describe('casebook CLI (spawned)', () => {
  test('list --json prints every registered scenario with id, title, source, isolation, phases', async () => {
    const r = await casebook(['list', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const list = JSON.parse(r.stdout) as {
      id: string;
      title: string;
      source: { title: string; author?: string };
      isolation: string;
      phases: string[];
    }[];
    assert.deepEqual(
      list.map((s) => s.id),
      [SCENARIO],
    );
    assert.equal(list[0]!.isolation, 'mesh');
    assert.equal(list[0]!.source.author, '米开朗基杨');
    assert.deepEqual(list[0]!.phases, ['control-mesh-mtls', 'broken', 'fixed', 'control-auto-mtls']);
  });

  test('validate exits 0 on the clean tree and names the schema packages', async () => {
    const r = await casebook(['validate']);
    assert.equal(r.exitCode, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^✓ 1 scenario\(s\) in scenarios\/index\.ts, 7 manifest file\(s\): no problems \(schemas: kubernetes-models 5\.1\.0, @kubernetes-models\/istio 3\.0\.1\)$/m,
    );
  });

  test('validate exits 1 naming file, object and field of a typo, and lists every problem', async () => {
    const file = `manifests/scenarios/${SCENARIO}/fixed/destination-rule.yaml`;
    const original = readFileSync(join(root, file), 'utf8');
    const workload = join(root, 'manifests/workloads/httpbin.yaml');
    const originalWorkload = readFileSync(workload, 'utf8');
    try {
      writeFileSync(join(root, file), original.replace('consecutive5xxErrors: 1', 'consecutiveErrorz: 1'));
      writeFileSync(workload, originalWorkload.replace('  replicas: 1', '  replicaz: 1'));
      const r = await casebook(['validate']);
      assert.equal(r.exitCode, 1, r.stdout + r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.ok(
        lines.includes(
          `${file}#1: DestinationRule foo/httpbin: spec.trafficPolicy.outlierDetection.consecutiveErrorz: unknown field (not in the DestinationRule schema of @kubernetes-models/istio 3.0.1)`,
        ),
        r.stdout,
      );
      assert.ok(
        lines.includes(
          'manifests/workloads/httpbin.yaml#3: Deployment httpbin: spec.replicaz: unknown field (not in the Deployment schema of kubernetes-models 5.1.0)',
        ),
        r.stdout,
      );
      assert.equal(lines.at(-1), '✗ 2 problem(s) in 1 scenario(s) in scenarios/index.ts, 7 manifest file(s)');
    } finally {
      writeFileSync(join(root, file), original);
      writeFileSync(workload, originalWorkload);
    }
  });

  test('run without a reachable Docker exits 2 within seconds, names Docker and the way out, and changes nothing', async () => {
    const before = snapshot(root);
    const started = Date.now();
    const r = await casebook(['run'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    const elapsed = Date.now() - started;
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
    assert.match(r.stderr, /^error: Docker is not reachable at unix:\/\/\/nonexistent\.sock \(ENOENT/m);
    assert.match(r.stderr, /^hint: start Docker, or use --cluster existing/m);
    assert.deepEqual(snapshot(root), before, 'the run touched the tree (reports/ or manifests)');
  });

  test('run refuses invalid manifests before looking for Docker (exit 2, every problem listed)', async () => {
    const file = join(root, `manifests/scenarios/${SCENARIO}/broken/destination-rule.yaml`);
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original.replace('maxConnections: 1', 'maxConections: 1').replace('host: httpbin', 'host: 42'));
      const r = await casebook(['run'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
      assert.equal(r.exitCode, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^error: 2 problem\(s\) in scenarios or manifests:$/m);
      assert.match(
        r.stderr,
        /broken\/destination-rule\.yaml#1: DestinationRule foo\/httpbin: spec\.trafficPolicy\.connectionPool\.tcp\.maxConections: unknown field/,
      );
      assert.match(r.stderr, /broken\/destination-rule\.yaml#1: DestinationRule foo\/httpbin: spec\.host: must be string/);
      assert.doesNotMatch(r.stderr, /Docker/);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('an unknown scenario id exits 2 and suggests the closest ids', async () => {
    const r = await casebook(['plan', 'destinationrule-tls']);
    assert.equal(r.exitCode, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`^error: unknown scenario id 'destinationrule-tls' \\(did you mean ${SCENARIO}\\?\\)$`, 'm'));
    assert.match(r.stderr, /^hint: `npx casebook list` shows every scenario id$/m);
    const typo = await casebook(['run', 'destinationrule-without-tls-overides-mesh-mtls'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(typo.exitCode, 2);
    assert.match(typo.stderr, new RegExp(`did you mean ${SCENARIO}\\?`));
  });

  test('plan --json holds the kind config, one Istio install per version and the rendered objects per phase', async () => {
    const r = await casebook(['plan', '--all', '--istio', '1.29.6,1.30.3', '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const plan = JSON.parse(r.stdout);
    assert.deepEqual(
      plan.versions.map((v: { istio: string }) => v.istio),
      ['1.29.6', '1.30.3'],
    );
    const v = plan.versions[1];
    assert.equal(v.installs.length, 1, 'one install; auto mTLS off/on are mesh-config patches');
    const phase = v.scenarios.find((s: { id: string }) => s.id === SCENARIO).phases.find((p: { name: string }) => p.name === 'fixed');
    assert.equal(phase.objects[0].metadata.labels['casebook.dev/scenario'], SCENARIO);
    assert.equal(phase.objects[0].spec.trafficPolicy.tls.mode, 'ISTIO_MUTUAL');
  });

  test('usage errors exit 2', async () => {
    const bad = await casebook(['run', '--cluster', 'minikube']);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /error: option '--cluster <provider>' argument 'minikube' is invalid\. Allowed choices are kind, existing\./);
    const none = await casebook(['plan']);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /error: name the scenarios to plan, or --all/);
  });

  test('doctor names a missing Docker with the fix, and exits 2', async () => {
    const r = await casebook(['doctor'], {
      DOCKER_HOST: 'unix:///nonexistent.sock',
      PATH: '/nonexistent',
      XDG_CACHE_HOME: join(root, 'no-cache'),
    });
    assert.equal(r.exitCode, 2, r.stderr);
    assert.match(r.stdout, /^✗ Docker: not reachable at unix:\/\/\/nonexistent\.sock/m);
    assert.match(r.stdout, /^ {4}fix: start Docker/m);
    assert.match(r.stdout, /^✗ kind 0\.33\.0: not on PATH, not in the cache/m);
    assert.match(r.stdout, /^ {4}fix: npx casebook setup/m);
    assert.match(r.stdout, /^\d+ prerequisite\(s\) missing$/m);
  });
});
