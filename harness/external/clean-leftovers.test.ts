import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createdMark, lockCluster, markCreated } from '../cluster/cluster-claims.ts';
import type { CommandRunner } from '../tools/command-runner.ts';
import { cleanLeftovers, findOurKindClusters, ownerAlive } from './clean-leftovers.ts';
import type { Docker, LabelledResource } from './labelled-resources.ts';

type FakeContainer = { Id: string; Names: string[]; Labels: Record<string, string> };
type FakeNetwork = { Id: string; Name: string; Labels: Record<string, string> };

/** Honours `filters.label` the way the Docker API does (every entry must match: key or key=value). */
function fakeDocker(containers: FakeContainer[], networks: FakeNetwork[]) {
  const removed: string[] = [];
  const matches = (labels: Record<string, string>, filters?: string) => {
    const wanted: string[] = filters ? ((JSON.parse(filters) as { label?: string[] }).label ?? []) : [];
    return wanted.every((f) => {
      const [k, v] = f.split('=') as [string, string | undefined];
      return v === undefined ? k in labels : labels[k] === v;
    });
  };
  const docker = {
    listContainers: async (o: { filters?: string }) => containers.filter((c) => matches(c.Labels, o.filters)),
    listNetworks: async (o: { filters?: string }) => networks.filter((n) => matches(n.Labels, o.filters)),
    getContainer: (id: string) => ({
      remove: async () => {
        removed.push(id);
      },
    }),
    getNetwork: (id: string) => ({
      remove: async () => {
        removed.push(id);
      },
    }),
  } as unknown as Docker;
  return { docker, removed };
}

const ours = (run: string, extra: Record<string, string> = {}) => ({
  'casebook.dev/managed-by': 'istio-casebook',
  'casebook.dev/run': run,
  ...extra,
});

test('removes our labelled containers (before networks) and nothing unlabelled', async () => {
  const { docker, removed } = fakeDocker(
    [
      { Id: 'c1', Names: ['/casebook-r1-ext-db'], Labels: ours('r1', { 'casebook.dev/role': 'external-mysql' }) },
      { Id: 'c2', Names: ['/someone-elses'], Labels: { app: 'x' } },
      { Id: 'c3', Names: ['/lookalike'], Labels: { 'casebook.dev/managed-by': 'other-tool' } },
    ],
    [
      { Id: 'n1', Name: 'casebook-test-net', Labels: ours('r1') },
      { Id: 'n2', Name: 'kind', Labels: {} },
    ],
  );
  const report = await cleanLeftovers({
    docker,
    dryRun: false,
    kindPath: null,
    claimsDir: await mkdtemp(join(tmpdir(), 'casebook-claims-')),
  });
  assert.deepEqual(removed, ['c1', 'n1']);
  assert.deepEqual(
    report.removed.map((r) => r.name),
    ['casebook-r1-ext-db', 'casebook-test-net'],
  );
  assert.deepEqual(report.kindClusters, []);
});

test('dry run removes nothing and lists the same', async () => {
  const { docker, removed } = fakeDocker([{ Id: 'c1', Names: ['/a'], Labels: ours('r1') }], []);
  const report = await cleanLeftovers({ docker, dryRun: true, kindPath: null });
  assert.deepEqual(removed, []);
  assert.deepEqual(
    report.removed.map((r) => r.id),
    ['c1'],
  );
});

test('resources of a run still going are left alone unless asked', async () => {
  const { docker, removed } = fakeDocker(
    [
      { Id: 'c1', Names: ['/a'], Labels: ours('live') },
      { Id: 'c2', Names: ['/b'], Labels: ours('dead') },
    ],
    [],
  );
  const isActive = (r: LabelledResource) => r.runId === 'live';
  const report = await cleanLeftovers({ docker, dryRun: false, kindPath: null, isActive });
  assert.deepEqual(removed, ['c2']);
  assert.deepEqual(
    report.active.map((r) => r.id),
    ['c1'],
  );
  await cleanLeftovers({ docker, dryRun: false, kindPath: null, isActive, includeActive: true });
  assert.deepEqual(removed, ['c2', 'c1', 'c2']);
});

const kindNodes: FakeContainer[] = [
  { Id: 'k1', Names: ['/casebook-control-plane'], Labels: { 'io.x-k8s.kind.cluster': 'casebook' } },
  { Id: 'k2', Names: ['/casebook-worker'], Labels: { 'io.x-k8s.kind.cluster': 'casebook' } },
  { Id: 'k3', Names: ['/kind-control-plane'], Labels: { 'io.x-k8s.kind.cluster': 'kind' } },
];

test('only kind clusters named casebook* are ours, grouped by cluster', async () => {
  const { docker } = fakeDocker(kindNodes, []);
  assert.deepEqual(await findOurKindClusters(docker), [{ name: 'casebook', nodes: ['casebook-control-plane', 'casebook-worker'] }]);
});

const recordingKind = () => {
  const calls: string[][] = [];
  const runner: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  return { calls, runner };
};

test('kind clusters a run recorded creating are deleted with kind, never by removing node containers, and forgotten', async () => {
  const { docker, removed } = fakeDocker(kindNodes, []);
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  await markCreated(claimsDir, 'casebook', 'r-old');
  const { calls, runner } = recordingKind();
  const report = await cleanLeftovers({ docker, dryRun: false, kindPath: '/usr/local/bin/kind', runner, claimsDir });
  assert.deepEqual(calls, [['/usr/local/bin/kind', 'delete', 'cluster', '--name', 'casebook']]);
  assert.deepEqual(removed, []);
  assert.deepEqual(
    report.kindClusters.map((k) => [k.name, k.action]),
    [['casebook', 'deleted']],
  );
  assert.equal(await createdMark(claimsDir, 'casebook'), undefined);
});

test("a kind cluster named casebook* that no run recorded creating (a user's casebook-dev) is never deleted, only listed", async () => {
  const { docker } = fakeDocker(
    [...kindNodes, { Id: 'k4', Names: ['/casebook-dev-control-plane'], Labels: { 'io.x-k8s.kind.cluster': 'casebook-dev' } }],
    [],
  );
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  const { calls, runner } = recordingKind();
  const report = await cleanLeftovers({ docker, dryRun: false, kindPath: '/usr/local/bin/kind', runner, claimsDir });
  assert.deepEqual(calls, []);
  assert.deepEqual(
    report.kindClusters.map((k) => [k.name, k.action]),
    [
      ['casebook', 'not-ours'],
      ['casebook-dev', 'not-ours'],
    ],
  );
  assert.match(report.kindClusters[1]?.detail ?? '', /kind delete cluster --name casebook-dev/);
  const dry = await cleanLeftovers({ docker, dryRun: true, kindPath: null, claimsDir });
  assert.deepEqual(
    dry.kindClusters.map((k) => k.action),
    ['not-ours', 'not-ours'],
  );
});

test('a kind cluster a live run holds is left alone, unless --include-active', async () => {
  const { docker } = fakeDocker(kindNodes, []);
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  await markCreated(claimsDir, 'casebook', 'r-live');
  // The parent of this test process is alive and not us: a stand-in for another terminal's run.
  await lockCluster(claimsDir, 'casebook', { runId: 'r-live', pid: process.ppid, host: (await import('node:os')).hostname() });
  const { calls, runner } = recordingKind();
  const report = await cleanLeftovers({ docker, dryRun: false, kindPath: '/k', runner, claimsDir });
  assert.deepEqual(calls, []);
  assert.equal(report.kindClusters[0]?.action, 'in-use');
  assert.match(report.kindClusters[0]?.detail ?? '', /run r-live is still using it/);
  await cleanLeftovers({ docker, dryRun: false, kindPath: '/k', runner, claimsDir, includeActive: true });
  assert.deepEqual(calls, [['/k', 'delete', 'cluster', '--name', 'casebook']]);
});

test('without kind the cluster is reported with the command to run', async () => {
  const { docker } = fakeDocker(kindNodes, []);
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  await markCreated(claimsDir, 'casebook', 'r-old');
  const report = await cleanLeftovers({ docker, dryRun: false, kindPath: null, claimsDir });
  assert.equal(report.kindClusters[0]?.action, 'kind-missing');
  assert.match(report.kindClusters[0]?.detail ?? '', /kind delete cluster --name casebook/);
});

test('owner liveness: our own pid and other hosts never count as a live run', () => {
  const base: LabelledResource = { type: 'container', id: 'x', name: 'x', runId: 'r', role: '' };
  assert.equal(ownerAlive({ ...base, ownerPid: process.pid, ownerHost: 'h' }, 'h'), false);
  assert.equal(ownerAlive({ ...base, ownerPid: process.ppid, ownerHost: 'h' }, 'h'), true);
  assert.equal(ownerAlive({ ...base, ownerPid: process.ppid, ownerHost: 'other' }, 'h'), false);
  assert.equal(ownerAlive({ ...base, ownerPid: 2 ** 22 + 12345, ownerHost: 'h' }, 'h'), false);
  assert.equal(ownerAlive(base, 'h'), false);
});
