// Unit tests: real /bin/sh processes (no cluster, no network).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execaRunner } from './command-runner.ts';

test('execaRunner: streams both outputs line by line, buffers them, and resolves with a non-zero exit code', async () => {
  const lines: string[] = [];
  const r = await execaRunner('sh', ['-c', 'echo one; echo two >&2; echo three; exit 3'], { onLine: (l, s) => lines.push(`${s}:${l}`) });
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout, 'one\nthree');
  assert.equal(r.stderr, 'two');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('stdout:')),
    ['stdout:one', 'stdout:three'],
  );
  assert.deepEqual(
    lines.filter((l) => l.startsWith('stderr:')),
    ['stderr:two'],
  );
});

test('execaRunner: passes stdin and env; a missing program rejects', async () => {
  const r = await execaRunner('sh', ['-c', 'cat; printf "%s" "$CASEBOOK_T"'], { input: 'in-', env: { CASEBOOK_T: 'env' } });
  assert.deepEqual([r.exitCode, r.stdout], [0, 'in-env']);
  await assert.rejects(execaRunner('/nonexistent/kind', ['version']), /ENOENT/);
});
