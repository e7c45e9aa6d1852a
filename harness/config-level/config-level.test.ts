/**
 * The config-level bridge without Go: input building, observations and checks on real recorded
 * helper output (fixtures/istio-sim-output.json), explain's text, the helper runner's handling of
 * a helper that fails, and the release mapping. `npm run test:config` runs the real helper.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { check } from '../checks/check.ts';
import { UsageError, InfrastructureError } from '../model/errors.ts';
import type { ConfigPathObservation, EnvoyObservation } from '../model/observation.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import seScenario from '../../scenarios/serviceentry-in-other-namespace-captures-tcp-port/scenario.ts';
import tlsScenario from '../../scenarios/ingress-tls-simple/scenario.ts';
import { explainLines } from './explain.ts';
import { findGo, GoMissingError } from './go-helper.ts';
import { configObservation, judgeConfig } from './observe.ts';
import { callFor, GATEWAY } from './phase-input.ts';
import { buildFor, readReleases, type ReleaseRecord } from './releases.ts';
import { runHelper, type SimPhaseOutput } from './run-helper.ts';
import { withMeshPatch } from './run-config-level.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/istio-sim-output.json', import.meta.url), 'utf8')) as Record<
  string,
  SimPhaseOutput
>;
const se = seScenario as ScenarioDefinition;
const tls = tlsScenario as ScenarioDefinition;
const at = (id: string) => recorded[id]!;
const path = (s: ScenarioDefinition, id: string, probe: string) => configObservation(s, probe, at(id)) as ConfigPathObservation;

test("calls: each probe kind becomes the call Istio's simulation takes", () => {
  assert.deepEqual(callFor('p', { kind: 'tcp', from: 'curl', host: '1.2.3.4', port: 3306 }), {
    probe: 'p',
    proxy: 'curl',
    host: '1.2.3.4',
    port: 3306,
    protocol: 'tcp',
    tls: 'plaintext',
  });
  assert.deepEqual(callFor('p', { kind: 'tcp', from: 'curl', container: 'istio-proxy', host: 'a', port: 1 })?.bypass, true);
  assert.deepEqual(
    callFor('p', { kind: 'http', from: 'curl', url: 'https://example.com:8443/x', resolve: ['example.com:8443:10.0.0.9'] }),
    {
      probe: 'p',
      proxy: 'curl',
      host: '10.0.0.9',
      port: 8443,
      protocol: 'http',
      tls: 'tls',
      sni: 'example.com',
      path: '/x',
      hostHeader: 'example.com',
    },
  );
  assert.deepEqual(callFor('p', { kind: 'ingress', url: 'https://httpbin.example.com/status/418', ca: 'x' }), {
    probe: 'p',
    proxy: GATEWAY,
    host: 'httpbin.example.com',
    port: 443,
    protocol: 'http',
    tls: 'tls',
    sni: 'httpbin.example.com',
    path: '/status/418',
    hostHeader: 'httpbin.example.com',
  });
  assert.equal(callFor('p', { kind: 'envoy', of: 'curl', what: 'listeners' }), undefined);
});

test('recorded output, serviceentry broken: the outside MySQL lands on 0.0.0.0_3306 and the DNS cluster has nothing to send to', () => {
  const external = path(se, 'serviceentry-in-other-namespace-captures-tcp-port/broken', 'external');
  assert.equal(external.hops[0]!.computedBy, 'istio-simulation');
  assert.equal(external.hops[1]!.computedBy, 'casebook-inference');
  assert.ok(check.lands({ at: 'outbound', listener: '0.0.0.0_3306', cluster: 'outbound|3306||mysql.demo' }).evaluate(external).ok);
  assert.ok(check.stopsWith('no healthy upstream').evaluate(external).ok);
  assert.equal(check.passes().evaluate(external).ok, false);
  const fixed = path(se, 'serviceentry-in-other-namespace-captures-tcp-port/fixed-sidecar-scope', 'external');
  assert.ok(check.lands({ cluster: 'PassthroughCluster' }).evaluate(fixed).ok);
  assert.equal(check.stopsWith('no healthy upstream').evaluate(fixed).ok, false);
  const msg = check.lands({ cluster: 'PassthroughCluster' }).evaluate(external).message;
  assert.match(msg, /expected the call to pass any hop cluster="PassthroughCluster", got outbound@curl listener=0\.0\.0\.0_3306/);
});

test('recorded output: the generated listener table is read by the live-dump parser, so listener checks work unchanged', () => {
  const broken = configObservation(se, 'listeners', at('serviceentry-in-other-namespace-captures-tcp-port/broken')) as EnvoyObservation;
  const fixed = configObservation(
    se,
    'listeners',
    at('serviceentry-in-other-namespace-captures-tcp-port/fixed-sidecar-scope'),
  ) as EnvoyObservation;
  const wildcard = check.listener({ address: '0.0.0.0', port: 3306, match: 'ALL', destination: 'outbound|3306||mysql.demo' });
  assert.ok(wildcard.evaluate(broken).ok);
  assert.equal(wildcard.evaluate(fixed).ok, false);
  assert.ok(check.noListener({ address: '0.0.0.0', port: 3306 }).evaluate(fixed).ok);
});

test('recorded output, ingress-tls-simple: istiod finds no credential in broken, the example.com-issued one in fixed', () => {
  const broken = path(tls, 'ingress-tls-simple/broken', 'teapot');
  const fixed = path(tls, 'ingress-tls-simple/fixed', 'teapot');
  assert.ok(check.servesNoCertificate().evaluate(broken).ok);
  assert.equal(check.servesCertificate().evaluate(broken).ok, false);
  assert.ok(check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }).evaluate(fixed).ok);
  assert.equal(check.servesNoCertificate().evaluate(fixed).ok, false);
});

test('judging: every config expectation of the recorded phases holds, and an unobservable key is an infrastructure problem, not a verdict', () => {
  for (const [s, id, phase] of [
    [se, 'serviceentry-in-other-namespace-captures-tcp-port/broken', 'broken'],
    [tls, 'ingress-tls-simple/fixed', 'fixed'],
  ] as const) {
    const results = judgeConfig(s, s.phases[phase]!, at(id));
    assert.ok(results.length > 0);
    for (const r of results) assert.ok(r.held, `${id} ${r.probe}: ${r.message}`);
  }
  const odd = judgeConfig(
    se,
    { summary: '', apply: [], expect: {}, config: { expect: { clientLog: check.responseFlags('UH') } } },
    at('serviceentry-in-other-namespace-captures-tcp-port/broken'),
  );
  assert.equal(odd[0]!.infrastructureError, true);
  assert.match(odd[0]!.message, /counted by a running Envoy/);
});

test('explain: the path per phase with whose computation each hop is, the listener rows, the analyzers', () => {
  const outputs = new Map(Object.entries(recorded));
  const text = explainLines(se, '1.31.0', 'release-1.31@eed52ebb66ad', ['broken', 'fixed-sidecar-scope'], outputs).join('\n');
  assert.match(text, /probe external: tcp from curl to \$\{external\.mysql-external\.ip\}:3306/);
  assert.match(text, /outbound@curl\s+listener 0\.0\.0\.0_3306 → cluster outbound\|3306\|\|mysql\.demo \(STRICT_DNS.*\[istio\]/);
  assert.match(text, /✗ no healthy upstream — DNS cluster outbound\|3306\|\|mysql\.demo: mysql\.demo .*\[casebook\]/);
  assert.match(text, /0\.0\.0\.0\s+3306 ALL\s+Cluster: outbound\|3306\|\|mysql\.demo/);
  assert.match(text, /IST0134/);
});

test('releases: a version maps to the build of its minor, labelled by commit; a minor without a build is a usage error naming the builds', () => {
  const record = readReleases(new URL('../..', import.meta.url).pathname);
  assert.equal(buildFor('1.30.3', record).label, 'release-1.30@9739e10eb9d7');
  assert.equal(buildFor('1.31.4', record).label, 'release-1.31@eed52ebb66ad');
  assert.throws(
    () => buildFor('1.29.6', record),
    (e: unknown) => e instanceof UsageError && /no config-level build of Istio 1\.29/.test(e.message),
  );
  const none: ReleaseRecord = { resolved: '', tags: {}, builds: [] };
  assert.throws(() => buildFor('1.32.0', none), UsageError);
});

test("mesh patches reach the helper's IstioOperator as istiod would read the patched ConfigMap", () => {
  const iop = { kind: 'IstioOperator', spec: { meshConfig: { accessLogFile: '/dev/stdout' } } };
  const out = withMeshPatch(iop, { meshConfig: { enableAutoMtls: false }, proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } });
  assert.deepEqual(out['spec'], {
    meshConfig: {
      accessLogFile: '/dev/stdout',
      enableAutoMtls: false,
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
    },
  });
  assert.deepEqual(iop.spec.meshConfig, { accessLogFile: '/dev/stdout' });
});

test('without Go the config level stops with the command that fixes it', async () => {
  await assert.rejects(
    findGo({ PATH: '/nonexistent' }, []),
    (e: unknown) => e instanceof GoMissingError && /Go is not on PATH/.test(e.message) && /--level runtime/.test(e.hint ?? ''),
  );
});

test('runner: the input (with Secrets) is private and removed; a helper that writes nothing is a harness failure with its last lines', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-fake-sim-'));
  const seen = join(dir, 'seen');
  const fake = join(dir, 'fake-sim');
  // A stand-in for the Go binary: records the input's mode and where it was, then writes nothing.
  await writeFile(
    fake,
    `#!/bin/sh\nstat -c %a "$CASEBOOK_SIM_INPUT" > ${seen}\necho "$CASEBOOK_SIM_INPUT" >> ${seen}\necho "panic: something Istio did" >&2\nexit 1\n`,
  );
  await chmod(fake, 0o755);
  const build = buildFor('1.31.0', readReleases(new URL('../..', import.meta.url).pathname));
  await assert.rejects(
    runHelper(fake, build, { istioOperator: {}, kubeletVersion: 'v1.37.0', phases: [] }, { env: { PATH: process.env['PATH'] } }),
    (e: unknown) => e instanceof InfrastructureError && /wrote no result/.test(e.message) && /panic: something Istio did/.test(e.message),
  );
  const [mode, input] = readFileSync(seen, 'utf8').trim().split('\n');
  assert.equal(mode, '600');
  assert.throws(() => statSync(input!), /ENOENT/);
});

test('compare refuses a config-level run against a runtime one (exit 2), and compares two config-level runs', async () => {
  const { compareResults } = await import('../report/compare-results.ts');
  const run = (level: 'config' | undefined) => ({
    runId: 'r',
    level,
    casebookVersion: '0',
    startedAt: '',
    finishedAt: '',
    cluster: { provider: 'kind' as const, name: 'x' },
    istioVersions: ['1.31.0'],
    results: [],
  });
  assert.throws(
    () => compareResults(run(undefined), run('config')),
    (e: unknown) => e instanceof UsageError && /runtime-level run and the current one a config-level run/.test(e.message),
  );
  assert.doesNotThrow(() => compareResults(run('config'), run('config')));
});

test("served certificates are named after the run's certificate by fingerprint: servesCertificate({ certificate }) tells a rotated leaf from the one it replaced", () => {
  const same = { subject: 'CN=httpbin.example.com', issuer: 'CN=example.com,O=example Inc.' };
  const out = (fingerprint256: string): SimPhaseOutput =>
    ({
      ...at('ingress-tls-simple/fixed'),
      calls: [
        {
          probe: 'teapot',
          call: {},
          resolve: 'ingress',
          captured: true,
          hops: [
            {
              proxy: GATEWAY,
              direction: 'gateway',
              listener: '0.0.0.0_8443',
              computedBy: 'istio-simulation',
              servedSecrets: ['kubernetes://c'],
              servedCertificates: [{ name: 'kubernetes://c', found: true, ...same, fingerprint256 }],
            },
          ],
        },
      ],
    }) as unknown as SimPhaseOutput;
  const known = new Map([
    ['AA11', 'httpbin'],
    ['BB22', 'httpbin-rotated'],
  ]);
  const first = configObservation(tls, 'teapot', out('AA11'), known) as ConfigPathObservation;
  const rotated = configObservation(tls, 'teapot', out('BB22'), known) as ConfigPathObservation;
  const isRotated = check.servesCertificate({ issuer: /CN=example\.com/, certificate: 'httpbin-rotated' });
  assert.ok(isRotated.evaluate(rotated).ok);
  assert.equal(isRotated.evaluate(first).ok, false);
  assert.match(isRotated.evaluate(first).message, /the run's httpbin\)/);
  // Without the run's fingerprints nothing is named, so a certificate check by name cannot hold.
  assert.equal(isRotated.evaluate(configObservation(tls, 'teapot', out('BB22')) as ConfigPathObservation).ok, false);
});

test('validatesClientsWith: a MUTUAL chain whose -cacert istiod finds; not a SIMPLE chain, not a CA istiod cannot find', () => {
  const obs = (requires: boolean, caFound: boolean): ConfigPathObservation => ({
    kind: 'config-path',
    resolve: 'ingress',
    captured: true,
    hops: [
      {
        proxy: GATEWAY,
        direction: 'gateway',
        listener: '0.0.0.0_8443',
        computedBy: 'istio-simulation',
        requiresClientCertificate: requires,
        servedSecrets: ['kubernetes://c', 'kubernetes://c-cacert'],
        servedCertificates: [
          { name: 'kubernetes://c', found: true, subject: 'CN=httpbin.example.com' },
          {
            name: 'kubernetes://c-cacert',
            found: caFound,
            ...(caFound ? { subject: 'CN=example.com,O=example Inc.', validationContext: true } : {}),
          },
        ],
      } as ConfigPathObservation['hops'][number],
    ],
  });
  const c = check.validatesClientsWith({ secret: 'kubernetes://c-cacert', subject: /CN=example\.com/ });
  assert.ok(c.evaluate(obs(true, true)).ok);
  assert.equal(c.evaluate(obs(false, true)).ok, false);
  assert.match(c.evaluate(obs(true, false)).message, /not found by istiod/);
  assert.equal(
    check.servesCertificate({ subject: /CN=example\.com/ }).evaluate(obs(true, true)).ok,
    false,
    'a CA bundle is not a served certificate',
  );
});

test('CLI: run --level config without Go exits 2 at once with the fix, touching nothing', async () => {
  const { execa } = await import('execa');
  const bin = new URL('../../bin/casebook.mjs', import.meta.url).pathname;
  const r = await execa(process.execPath, [bin, 'run', '--level', 'config', 'ingress-tls-simple'], {
    reject: false,
    env: { ...process.env, CASEBOOK_GO: '/nonexistent/go', XDG_CACHE_HOME: await mkdtemp(join(tmpdir(), 'casebook-nogo-')) },
  });
  assert.equal(r.exitCode, 2, r.stdout + r.stderr);
  assert.match(r.stderr + r.stdout, /CASEBOOK_GO is \/nonexistent\/go, which does not exist/);
  assert.doesNotMatch(r.stdout, /reports:/);
});
