// Unit tests: files in a temp folder, no kind. A live "other run" is this test's parent process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterInUseError, liveHolder, lockCluster } from './cluster-claims.ts';
import { PrerequisiteError } from '../model/errors.ts';

const host = hostname();
const dir = () => mkdtemp(join(tmpdir(), 'casebook-claims-'));

test('a second run cannot take a kind cluster a live run holds; the error says who holds it and what to do', async () => {
  const d = await dir();
  await lockCluster(d, 'casebook', { runId: 'run-a', pid: process.ppid, host });
  await assert.rejects(
    lockCluster(d, 'casebook', { runId: 'run-b', pid: process.pid, host }),
    (e: unknown) =>
      e instanceof ClusterInUseError &&
      e instanceof PrerequisiteError &&
      /in use by casebook run run-a/.test(e.message) &&
      /wait for that run to end/.test(e.hint ?? ''),
  );
  assert.equal((await liveHolder(d, 'casebook'))?.runId, 'run-a');
});

test('a lock left by a dead process is taken over; release removes only our own lock', async () => {
  const d = await dir();
  await writeFile(join(d, 'casebook.lock'), JSON.stringify({ runId: 'dead', pid: 2 ** 22 + 4321, host }));
  assert.equal(await liveHolder(d, 'casebook'), undefined);
  const release = await lockCluster(d, 'casebook', { runId: 'run-b', pid: process.pid, host });
  assert.equal(JSON.parse(await readFile(join(d, 'casebook.lock'), 'utf8')).runId, 'run-b');
  // Someone took the lock over after us (we looked dead to them): our exit must not free theirs.
  await writeFile(join(d, 'casebook.lock'), JSON.stringify({ runId: 'run-c', pid: process.ppid, host }));
  await release();
  assert.equal((await liveHolder(d, 'casebook'))?.runId, 'run-c');
});

test('a lock from another host never counts as live here', async () => {
  const d = await dir();
  await writeFile(join(d, 'casebook.lock'), JSON.stringify({ runId: 'x', pid: process.ppid, host: `not-${host}` }));
  assert.equal(await liveHolder(d, 'casebook'), undefined);
});
