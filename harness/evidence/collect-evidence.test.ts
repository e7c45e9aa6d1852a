import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ExecResult, ExecTarget, ExecTransport } from '../model/exec.ts';
import type { ProbeResult } from '../model/results.ts';
import { createEvidenceCollector } from './collect-evidence.ts';

const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const keyLine = key.split('\n')[2]!;
const dump = readFileSync(new URL('./fixtures/sidecar-config-dump-se-tcp.json', import.meta.url), 'utf8');
const accessLine =
  '[2026-11-20T10:00:06.001Z] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" outbound|3306||mysql.demo - 172.18.0.5:3306 10.244.0.12:40112 - -';

/** Answers pilot-agent like a sidecar would; records what was asked. */
function fakeTransport(asked: string[]): ExecTransport {
  const result = (command: readonly string[], stdout: string, exitCode = 0): ExecResult => ({
    command,
    exitCode,
    stdout,
    stderr: '',
    startedAt: '2026-11-20T10:00:00.000Z',
    durationMs: 5,
  });
  return {
    kind: 'docker',
    async exec(target: ExecTarget, command: readonly string[]) {
      asked.push(`${target.namespace}/${target.workload}/${target.container}: ${command.join(' ')}`);
      if (command[3] === 'config_dump') return result(command, dump);
      return result(command, '', 1);
    },
    async logs(target: ExecTarget) {
      asked.push(`${target.namespace}/${target.workload}/${target.container}: logs`);
      return `2026-11-20T10:00:00Z\tinfo\tready\n${accessLine}\n`;
    },
  };
}

const probe: ProbeResult = {
  probe: 'mysqlExternal',
  held: true,
  message: 'expected a connection closed by the peer without any byte, got closed-by-peer',
  infrastructureError: false,
  spec: { kind: 'tcp', from: 'curl', host: '172.18.0.5', port: 3306 },
  attempts: [
    {
      index: 1,
      startedAt: '2026-11-20T10:00:05.000Z',
      durationMs: 120,
      observation: {
        kind: 'tcp',
        tool: 'nc',
        outcome: 'closed-by-peer',
        bytesReceived: 0,
        exec: {
          command: ['sh', '-c', 'nc -d -v 172.18.0.5 3306'],
          exitCode: 0,
          stdout: `tool=nc\nleaked:\n${key}`,
          stderr: 'Connection to 172.18.0.5 3306 port [tcp/mysql] succeeded!',
          durationMs: 120,
        },
      },
      check: { ok: true, message: 'expected a connection closed by the peer without any byte, got closed-by-peer' },
    },
    {
      index: 2,
      startedAt: '2026-11-20T10:00:06.000Z',
      durationMs: 3,
      transportError: 'InfrastructureError: docker exec in lab-client failed',
    },
  ],
};

test('a phase bundle: attempts with command, exit code, output; listener table; access log; no private key', async (t) => {
  const reportDir = await mkdtemp(join(tmpdir(), 'casebook-evidence-test-'));
  t.after(() => rm(reportDir, { recursive: true, force: true }));
  const asked: string[] = [];
  const refs = await createEvidenceCollector({ reportDir })({
    scenario: { id: 'serviceentry-in-other-namespace-captures-tcp-port' },
    phase: 'broken',
    istio: '1.30.3',
    probes: [probe],
    requested: ['listeners:curl:3306', 'access-log:curl', 'served-certificate:nope', 'iptables:curl'],
    transport: fakeTransport(asked),
    namespaceOf: () => 'demo1',
    unexpected: false,
  });
  const dir = 'evidence/serviceentry-in-other-namespace-captures-tcp-port/istio-1.30.3/broken';
  assert.deepEqual(refs.map((r) => r.path).sort(), [
    `${dir}/access-log-curl.txt`,
    `${dir}/collection-errors.txt`,
    `${dir}/listeners-curl-3306.txt`,
    `${dir}/probe-mysqlExternal.json`,
    `${dir}/probe-mysqlExternal.txt`,
  ]);
  assert.deepEqual(asked, ['demo1/curl/istio-proxy: pilot-agent request GET config_dump', 'demo1/curl/istio-proxy: logs']);
  const read = (f: string) => readFile(join(reportDir, dir, f), 'utf8');
  assert.equal(
    await read('listeners-curl-3306.txt'),
    'ADDRESSES PORT MATCH DESTINATION\n0.0.0.0   3306 ALL   Cluster: outbound|3306||mysql.demo\n',
  );
  assert.match(
    await read('access-log-curl.txt'),
    /^\[2026-11-20T10:00:06\.001Z\] "- - -" 0 UH .*\n {4}code 0 {2}flags UH {2}details - {2}cluster outbound\|3306\|\|mysql\.demo/,
  );
  const attempts = await read('probe-mysqlExternal.txt');
  assert.match(
    attempts,
    /--- attempt 1 at 2026-11-20T10:00:05\.000Z \(120 ms\)\n\$ sh -c <<'EOF'\nnc -d -v 172\.18\.0\.5 3306\nEOF\nexit code: 0 {2}\(120 ms\)/,
  );
  assert.match(attempts, /transport error: InfrastructureError: docker exec in lab-client failed/);
  assert.match(
    await read('collection-errors.txt'),
    /served-certificate:nope: no probe named nope ran in this phase\niptables:curl: unknown evidence kind/,
  );
  for (const f of await readdir(join(reportDir, dir))) {
    const text = await read(f);
    assert.ok(!text.includes(keyLine), `${f} must not hold the private key`);
  }
  assert.match(await read('probe-mysqlExternal.json'), /-----BEGIN PRIVATE KEY-----\[REDACTED\]-----END PRIVATE KEY-----/);
});

test('an unexpected verdict also collects the client sidecar listeners and log', async (t) => {
  const reportDir = await mkdtemp(join(tmpdir(), 'casebook-evidence-test-'));
  t.after(() => rm(reportDir, { recursive: true, force: true }));
  const asked: string[] = [];
  const refs = await createEvidenceCollector({ reportDir })({
    scenario: { id: 's' },
    phase: 'fixed',
    istio: '1.31.0',
    probes: [probe],
    requested: [],
    transport: fakeTransport(asked),
    namespaceOf: () => 'demo1',
    unexpected: true,
  });
  assert.deepEqual(refs.map((r) => r.name).sort(), [
    'access-log:curl',
    'listeners:curl',
    'probe mysqlExternal: attempts',
    'probe mysqlExternal: attempts (json)',
  ]);
});

test("istio-init:<workload> keeps the init container's log (the iptables rules), read from that container", async (t) => {
  const reportDir = await mkdtemp(join(tmpdir(), 'casebook-evidence-test-'));
  t.after(() => rm(reportDir, { recursive: true, force: true }));
  const asked: string[] = [];
  const rules = '* nat\n-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT\nCOMMIT\n';
  const transport: ExecTransport = {
    kind: 'kubernetes',
    exec: async () => {
      throw new Error('not used');
    },
    logs: async (target) => {
      asked.push(`${target.namespace}/${target.workload}/${target.container}`);
      return rules;
    },
  };
  const refs = await createEvidenceCollector({ reportDir })({
    scenario: { id: 'inbound-port-not-captured' },
    phase: 'fixed',
    istio: '1.30.3',
    probes: [],
    requested: ['istio-init:flaskapp'],
    transport,
    namespaceOf: (w) => (w === 'flaskapp' ? 'kangxzh' : assert.fail(w)),
    unexpected: false,
  });
  assert.deepEqual(asked, ['kangxzh/flaskapp/istio-init']);
  assert.deepEqual(
    refs.map((r) => [r.name, r.path]),
    [['istio-init:flaskapp', 'evidence/inbound-port-not-captured/istio-1.30.3/fixed/istio-init-flaskapp.txt']],
  );
  assert.equal(await readFile(join(reportDir, refs[0]!.path), 'utf8'), rules);
});
