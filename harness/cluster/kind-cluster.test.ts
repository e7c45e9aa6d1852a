// Unit tests: no Docker, no kind, no cluster. kind and docker are replaced by a recording runner
// so the exact argv is asserted; files are written to a temp run folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureCluster } from './ensure-cluster.ts';
import { cmd, recordingRunner } from '../tools/testing/recording-runner.ts';
import { KIND_NODE_IMAGE } from '../tools/versions.ts';

const KIND = '/opt/kind';

test('kind: creates a missing cluster with the pinned image, our config and a run-folder kubeconfig; streams stderr as progress', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const runner = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: 'other\n' } },
    {
      match: cmd(KIND, 'create', 'cluster'),
      result: {},
      lines: ['Creating cluster "cb" ...', ' ✓ Ensuring node image (kindest/node:v1.36.1) 🖼'],
    },
    { match: cmd(KIND, 'get', 'kubeconfig'), result: { stdout: 'kind: Config\ncurrent-context: kind-cb' } },
    { match: cmd(KIND, 'delete', 'cluster'), result: {} },
  ]);
  const lines: string[] = [];
  const handle = await ensureCluster({ provider: 'kind', name: 'cb', runDir, kindPath: KIND, runner, onProgress: (l) => lines.push(l) });
  const kubeconfigPath = join(runDir, 'kubeconfig');
  const configPath = join(runDir, 'kind-config.yaml');
  assert.deepEqual(
    runner.calls.map((c) => c.args),
    [
      ['get', 'clusters'],
      [
        'create',
        'cluster',
        '--name',
        'cb',
        '--image',
        KIND_NODE_IMAGE,
        '--config',
        configPath,
        '--kubeconfig',
        kubeconfigPath,
        '--wait',
        '300s',
      ],
      ['get', 'kubeconfig', '--name', 'cb'],
    ],
  );
  assert.equal((await stat(kubeconfigPath)).mode & 0o777, 0o600);
  assert.match(KIND_NODE_IMAGE, /^kindest\/node:v\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
  const config = parse(await readFile(configPath, 'utf8')) as { nodes: { extraPortMappings: unknown[] }[] };
  assert.deepEqual(config.nodes[0]?.extraPortMappings, [
    { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
    { containerPort: 30443, hostPort: 8443, listenAddress: '127.0.0.1', protocol: 'TCP' },
    { containerPort: 30021, hostPort: 15021, listenAddress: '127.0.0.1', protocol: 'TCP' },
  ]);
  assert.ok(lines.includes('Creating cluster "cb" ...'), lines.join('\n'));
  assert.equal(handle.created, true);
  assert.equal(handle.context, 'kind-cb');
  assert.equal(handle.kubeconfigPath, kubeconfigPath);
  assert.deepEqual(handle.ingress, { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, statusPort: 15021 });
  assert.equal(handle.cleanupCommand, 'kind delete cluster --name cb');

  await handle.delete();
  assert.deepEqual(runner.calls.at(-1)?.args, ['delete', 'cluster', '--name', 'cb', '--kubeconfig', kubeconfigPath]);
});

test('kind: reuses a cluster by name, checks its port mappings and writes its kubeconfig (mode 0600) into the run folder', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const bindings = {
    '30080/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080' }],
    '30443/tcp': [{ HostIp: '127.0.0.1', HostPort: '18443' }],
    '30021/tcp': [{ HostIp: '127.0.0.1', HostPort: '25021' }],
  };
  const runner = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: 'cb\nother\n' } },
    { match: cmd('docker', 'inspect'), result: { stdout: JSON.stringify(bindings) } },
    { match: cmd(KIND, 'get', 'kubeconfig'), result: { stdout: 'apiVersion: v1\nkind: Config\ncurrent-context: kind-cb' } },
  ]);
  const handle = await ensureCluster({
    provider: 'kind',
    name: 'cb',
    runDir,
    kindPath: KIND,
    runner,
    hostPorts: { http: 18080, https: 18443, status: 25021 },
  });
  assert.equal(handle.created, false);
  assert.deepEqual(
    runner.calls.map((c) => [c.file, ...c.args]),
    [
      [KIND, 'get', 'clusters'],
      ['docker', 'inspect', '--format', '{{json .HostConfig.PortBindings}}', 'cb-control-plane'],
      [KIND, 'get', 'kubeconfig', '--name', 'cb'],
    ],
  );
  assert.equal(await readFile(handle.kubeconfigPath, 'utf8'), 'apiVersion: v1\nkind: Config\ncurrent-context: kind-cb\n');
  assert.equal((await stat(handle.kubeconfigPath)).mode & 0o777, 0o600);
});

test('kind: a same-named cluster without our port mappings is refused with the delete command', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const runner = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: 'cb\n' } },
    { match: cmd('docker', 'inspect'), result: { stdout: '{"6443/tcp":[{"HostIp":"127.0.0.1","HostPort":"40000"}]}' } },
  ]);
  await assert.rejects(
    ensureCluster({ provider: 'kind', name: 'cb', runDir, kindPath: KIND, runner }),
    (e: Error & { hint?: string }) =>
      e.name === 'PrerequisiteError' &&
      /30080->8080, 30443->8443, 30021->15021/.test(e.message) &&
      e.hint?.includes('kind delete cluster --name cb') === true,
  );
});

test("kind: when kind cannot list clusters (Docker down) the error carries kind's stderr and says what to do", async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const runner = recordingRunner([
    {
      match: cmd(KIND, 'get', 'clusters'),
      result: { exitCode: 1, stderr: 'ERROR: failed to list clusters: command "docker ps -a" failed' },
    },
  ]);
  await assert.rejects(
    ensureCluster({ provider: 'kind', name: 'cb', runDir, kindPath: KIND, runner }),
    (e: Error & { hint?: string }) =>
      e.name === 'PrerequisiteError' && e.message.includes('docker ps -a') && /docker info/.test(e.hint ?? ''),
  );
});

test('kind: invalid cluster names are refused before anything runs', async () => {
  const runner = recordingRunner([]);
  await assert.rejects(
    ensureCluster({ provider: 'kind', name: 'Bad_Name', runDir: '/nonexistent', kindPath: KIND, runner }),
    /not a valid kind cluster name/,
  );
  assert.equal(runner.calls.length, 0);
});

test('a created cluster is recorded as ours before kind create runs (an interrupted create is still ours); a reused one is not', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  const { createdMark } = await import('./cluster-claims.ts');
  let markedAtCreate: unknown;
  const recording = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: '' } },
    { match: cmd(KIND, 'create', 'cluster'), result: {} },
    { match: cmd(KIND, 'get', 'kubeconfig'), result: { stdout: 'kind: Config' } },
  ]);
  const runner: typeof recording = Object.assign(
    async (file: string, args: readonly string[], o?: Parameters<typeof recording>[2]) => {
      if (args[0] === 'create') markedAtCreate = await createdMark(claimsDir, 'cb');
      return recording(file, args, o);
    },
    { calls: recording.calls },
  );
  await ensureCluster({ provider: 'kind', name: 'cb', runDir, kindPath: KIND, runner, claims: { dir: claimsDir, runId: 'r9' } });
  assert.equal((markedAtCreate as { runId?: string } | undefined)?.runId, 'r9');

  const reuseRunner = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: 'other\n' } },
    {
      match: cmd('docker', 'inspect'),
      result: {
        stdout: JSON.stringify({
          '30080/tcp': [{ HostPort: '8080' }],
          '30443/tcp': [{ HostPort: '8443' }],
          '30021/tcp': [{ HostPort: '15021' }],
        }),
      },
    },
    { match: cmd(KIND, 'get', 'kubeconfig'), result: { stdout: 'kind: Config' } },
  ]);
  await ensureCluster({
    provider: 'kind',
    name: 'other',
    runDir,
    kindPath: KIND,
    runner: reuseRunner,
    claims: { dir: claimsDir, runId: 'r9' },
  });
  assert.equal(await createdMark(claimsDir, 'other'), undefined);
});

test('with a kubeconfig folder, the kubeconfig (a client key) is written there (0700 folder, 0600 file), not into the report folder', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-kind-'));
  const kubeconfigDir = join(await mkdtemp(join(tmpdir(), 'casebook-private-')), 'runs', 'r1');
  const runner = recordingRunner([
    { match: cmd(KIND, 'get', 'clusters'), result: { stdout: '' } },
    { match: cmd(KIND, 'create', 'cluster'), result: {} },
    { match: cmd(KIND, 'get', 'kubeconfig'), result: { stdout: 'kind: Config' } },
  ]);
  const handle = await ensureCluster({ provider: 'kind', name: 'cb', runDir, kindPath: KIND, runner, kubeconfigDir });
  assert.equal(handle.kubeconfigPath, join(kubeconfigDir, 'kubeconfig'));
  assert.ok(runner.calls[1]?.args.includes(join(kubeconfigDir, 'kubeconfig')), 'kind create writes there too');
  assert.equal((await stat(kubeconfigDir)).mode & 0o777, 0o700);
  assert.equal((await stat(handle.kubeconfigPath)).mode & 0o777, 0o600);
  const { readdir } = await import('node:fs/promises');
  assert.equal((await readdir(runDir)).includes('kubeconfig'), false);
});
