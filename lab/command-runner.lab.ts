/**
 * A command the casebook kills at its deadline must not leave its own
 * children running. Real processes: sh starting a long sleep of its own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { execaRunner } from '../harness/tools/command-runner.ts';

test('a timed-out command takes its whole process tree with it (sh and the sleep it started)', { timeout: 30_000 }, async () => {
  // A duration no other process uses is the marker: the grandchildren are found by their argv.
  const marker = `sleep 300.${process.pid}${Date.now() % 100_000}`;
  const script = `${marker} & ${marker} & wait`;
  await assert.rejects(
    execaRunner('sh', ['-c', script], { timeoutMs: 500 }),
    (e: unknown) => (e as { timedOut?: boolean }).timedOut === true,
  );
  let left = '';
  for (let i = 0; i < 50; i++) {
    left = (await execa('pgrep', ['-f', marker], { reject: false })).stdout.trim();
    if (left === '') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(left, '', `processes of the killed command still running: ${left}`);
});
