// Unit tests: kind is a recording stand-in; nothing is deleted for real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createdMark, markCreated } from '../cluster/cluster-claims.ts';
import type { CommandRunner } from '../tools/command-runner.ts';
import type { ClusterRecord } from './cluster-record.ts';
import { teardownClusters } from './global-teardown.ts';

const record = (name: string, extra: Partial<ClusterRecord>): ClusterRecord => ({
  provider: 'kind',
  name,
  kubeconfigPath: `/r/${name}/kubeconfig`,
  kindPath: '/k',
  cleanupCommand: `kind delete cluster --name ${name}`,
  ...extra,
});

async function teardown(records: ClusterRecord[], keep = false) {
  const calls: string[][] = [];
  const runner: CommandRunner = async (file, args) => {
    calls.push([file, ...args]);
    return { exitCode: 0, stdout: '', stderr: '' };
  };
  const lines: string[] = [];
  const claimsDir = await mkdtemp(join(tmpdir(), 'casebook-claims-'));
  for (const r of records) if (r.created) await markCreated(claimsDir, r.name, r.runId ?? 'r1');
  await teardownClusters(records, { keep, runId: 'r1', out: { write: (s: string) => lines.push(s) }, runner, claimsDir });
  return { calls, text: lines.join(''), claimsDir };
}

test('the end of a run deletes the kind cluster it created and leaves one it only reused', async () => {
  const { calls, text, claimsDir } = await teardown([
    record('mine', { created: true, runId: 'r1' }),
    record('casebook', { created: false, runId: 'r1' }),
  ]);
  assert.deepEqual(calls, [['/k', 'delete', 'cluster', '--name', 'mine', '--kubeconfig', '/r/mine/kubeconfig']]);
  assert.match(text, /kind cluster casebook was there before this run: left in place/);
  assert.equal(await createdMark(claimsDir, 'mine'), undefined);
});

test('a record without "created" (older format) or created by another run is never deleted', async () => {
  const { calls } = await teardown([record('old', {}), record('other', { created: true, runId: 'r0' })]);
  assert.deepEqual(calls, []);
});

test('--keep prints the delete command for created clusters only and deletes nothing', async () => {
  const { calls, text } = await teardown([record('mine', { created: true, runId: 'r1' }), record('casebook', { created: false })], true);
  assert.deepEqual(calls, []);
  assert.match(text, /kind delete cluster --name mine/);
  assert.doesNotMatch(text, /kind delete cluster --name casebook/);
});
