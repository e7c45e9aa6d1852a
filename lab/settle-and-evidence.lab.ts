/**
 * The docker exec transport, settling and the evidence bundle on real containers: exit codes and
 * output come back untouched; a missing container or program is an infrastructure error; a
 * server that comes up late settles after N consecutive holds; a container that disappears ends
 * the probe as an infrastructure error, never as a verdict; the bundle has every attempt and no key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { CertStore } from '../harness/certs/cert-store.ts';
import { check } from '../harness/checks/check.ts';
import { writePhaseEvidence } from '../harness/evidence/phase-evidence.ts';
import { createDockerTransport } from '../harness/external/docker-transport.ts';
import { InfrastructureError } from '../harness/model/errors.ts';
import { poll } from '../harness/model/poll.ts';
import type { TcpProbeSpec, TlsProbeSpec } from '../harness/model/probe-spec.ts';
import { observe } from '../harness/probes/observe.ts';
import { settle } from '../harness/run/settle.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';
import { installCerts, labCertificates, PORTS, SITE_HOST, startMariadb, startMutualTlsServer } from './support/lab-servers.ts';

const skip = await labSkip();
let lab: Lab;
let store: CertStore;
let reportDir: string;

before(async () => {
  if (skip) return;
  lab = await createLab('settle');
  store = await labCertificates();
  reportDir = await mkdtemp(join(tmpdir(), 'casebook-lab-report-'));
  await lab.start('client');
  await lab.start('db');
  await lab.start('web');
  await installCerts(lab, 'client', store, ['lab-ca', 'client'], ['client']);
  await startMutualTlsServer(lab, 'web', store);
});

after(async () => {
  await lab?.dispose();
  await store?.dispose();
  if (reportDir) await rm(reportDir, { recursive: true, force: true });
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

test('docker transport: exit codes and output preserved; a missing container or program is an infrastructure error', { skip }, async () => {
  const t = lab.transport();
  const r = await t.exec({ workload: 'client' }, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
  assert.deepEqual(r.command, ['sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.ok(r.durationMs >= 0 && !Number.isNaN(Date.parse(r.startedAt)));
  assert.equal((await t.exec({ workload: 'client' }, ['false'])).exitCode, 1);
  await assert.rejects(
    t.exec({ workload: 'client' }, ['no-such-program']),
    (e: unknown) => e instanceof InfrastructureError && /did not run "no-such-program".*executable file not found/.test(e.message),
  );
  const ghost = createDockerTransport({ containers: { client: `${lab.container('client').name}-gone` } });
  await assert.rejects(
    ghost.exec({ workload: 'client' }, ['true']),
    (e: unknown) => e instanceof InfrastructureError && /No such container/.test(e.message),
  );
  await assert.rejects(
    t.exec({ workload: 'nobody' }, ['true']),
    (e: unknown) => e instanceof InfrastructureError && /no lab container plays workload "nobody"/.test(e.message),
  );
  // Logs: the container's stdout and stderr, as the envoy access-log probe reads a sidecar's.
  const line =
    '[2026-11-20T10:00:06.001Z] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" outbound|3306||mysql.demo - 172.18.0.5:3306 10.244.0.12:40112 - -';
  await lab.start('talker', { command: `echo 'envoy: starting' >&2; sleep 0.3; echo '${line}'; exec sleep infinity` });
  const sidecar = lab.transport({ 'client/istio-proxy': 'talker' });
  await poll(async () => (await sidecar.logs({ workload: 'client', container: 'istio-proxy' })).includes('outbound|3306'), {
    what: "the access-log line in the talker's logs",
    timeoutMs: 10_000,
    intervalMs: 100,
  });
  const all = await sidecar.logs({ workload: 'client', container: 'istio-proxy' });
  assert.deepEqual(all.split('\n').sort(), ['envoy: starting', line].sort());
  assert.equal(await sidecar.logs({ workload: 'client', container: 'istio-proxy' }, { tailLines: 1 }), line);
  const o = await observe(
    { kind: 'envoy', of: 'client', what: 'access-log', filter: 'mysql.demo' },
    { transport: sidecar, namespaceOf: () => 'lab' },
  );
  assert.deepEqual(
    o.kind === 'envoy' && o.what === 'access-log'
      ? o.entries.map((e) => [e.responseCode, e.responseFlags.join(','), e.upstreamCluster])
      : [],
    [[0, 'UH', 'outbound|3306||mysql.demo']],
  );
  assert.equal(check.responseFlags('UH').evaluate(o as never).ok, true);
});

test('a server that starts late: settle records the refusals, then holds 2 times in a row', { skip }, async () => {
  const spec: TcpProbeSpec = { kind: 'tcp', from: 'client', host: lab.container('db').ip, port: PORTS.mysql, readTimeoutMs: 1000 };
  const ctx = { transport: lab.transport(), namespaceOf: () => 'lab' };
  const starting = startMariadb(lab, 'db');
  const r = await settle({
    name: 'mysql',
    spec,
    observe: () => observe(spec, ctx),
    check: check.greeting('mysql'),
    consecutive: 2,
    intervalMs: 300,
    timeoutMs: 60_000,
  });
  await starting;
  assert.equal(r.held, true);
  assert.equal(r.infrastructureError, false);
  const outcomes = r.attempts.map((a) => (a.observation as { outcome: string }).outcome);
  assert.deepEqual(outcomes.slice(-2), ['connected', 'connected']);
  assert.ok(r.attempts.length >= 3, `refused attempts were kept too: ${outcomes.join(', ')}`);
  assert.equal(outcomes[0], 'refused');
});

test('a client container that disappears: an infrastructure error, not a verdict', { skip }, async () => {
  await lab.start('doomed');
  const spec: TcpProbeSpec = { kind: 'tcp', from: 'doomed', host: lab.container('db').ip, port: PORTS.mysql, readTimeoutMs: 1000 };
  const ctx = { transport: lab.transport(), namespaceOf: () => 'lab' };
  let n = 0;
  const r = await settle({
    name: 'mysql',
    spec,
    check: check.greeting('mysql'),
    consecutive: 3,
    intervalMs: 200,
    timeoutMs: 4000,
    observe: async () => {
      if (++n === 2) await execa('docker', ['rm', '-f', lab.container('doomed').name]);
      return observe(spec, ctx);
    },
  });
  assert.equal(r.held, false);
  assert.equal(r.infrastructureError, true);
  assert.equal(r.attempts[0]!.check?.ok, true);
  assert.match(
    r.attempts.at(-1)!.transportError!,
    /^InfrastructureError: docker exec in .*doomed did not run "sh": Error response from daemon: No such container/,
  );
  assert.match(r.message, /^could not observe mysql/);
});

test(
  'the evidence bundle of a phase: every attempt with command, exit code and output; the client key never appears',
  { skip },
  async () => {
    const spec: TlsProbeSpec = {
      kind: 'tls',
      from: 'client',
      host: lab.container('web').ip,
      port: PORTS.mutualAlert,
      servername: SITE_HOST,
      cacert: '/certs/lab-ca.crt',
      cert: '/certs/client.crt',
      key: '/certs/client.key',
    };
    const ctx = { transport: lab.transport(), namespaceOf: () => 'lab' };
    // The key is in the probe's reach: a careless probe could print it. Make one that does, to prove redaction.
    const leaky = async () => {
      const o = (await observe(spec, ctx)) as unknown as Record<string, unknown> & { exec: { stdout: string } };
      const key = await ctx.transport.exec({ workload: 'client' }, ['cat', '/certs/client.key']);
      return { ...o, exec: { ...o.exec, stdout: `${o.exec.stdout}\n${key.stdout}` } };
    };
    const r = await settle({
      name: 'mtls',
      spec,
      observe: leaky,
      check: check.all(check.handshakeOk(), check.verified()),
      consecutive: 2,
      intervalMs: 100,
      timeoutMs: 30_000,
    });
    assert.equal(r.held, true);
    const refs = await writePhaseEvidence(reportDir, { scenario: 'lab-mtls', phase: 'fixed', istio: 'lab', probes: [r] });
    assert.deepEqual(
      refs.map((x) => x.path),
      ['evidence/lab-mtls/istio-lab/fixed/probe-mtls.txt', 'evidence/lab-mtls/istio-lab/fixed/probe-mtls.json'],
    );
    const text = await readFile(join(reportDir, refs[0]!.path), 'utf8');
    assert.match(
      text,
      /--- attempt 1 at .* \(\d+ ms\)\n\$ sh -c <<'EOF'\nsleep 1 \| timeout 6 openssl s_client -connect .*:9443 -showcerts -servername site\.lab\.test/,
    );
    assert.match(text, /exit code: 0 {2}\(\d+ ms\)\nstdout:\nCONNECTED\(/);
    assert.match(text, /check: held: /);
    const keyBody = store.keyPem('client').split('\n')[1]!;
    const dir = join(reportDir, 'evidence/lab-mtls/istio-lab/fixed');
    for (const f of await readdir(dir)) {
      const content = await readFile(join(dir, f), 'utf8');
      assert.ok(!content.includes(keyBody), `${f} holds key material`);
      assert.match(content, /PRIVATE KEY-----\[REDACTED\]/, `${f} shows where the key was removed`);
    }
  },
);
