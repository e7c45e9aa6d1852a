import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LogTail } from './log-tail.ts';

test('keeps the last lines across chunk boundaries', () => {
  const tail = new LogTail(2);
  tail.push('one\ntw');
  tail.push('o\nthree\nfou');
  assert.equal(tail.text(), 'three\nfou');
});

test('consumes a container log stream', async () => {
  const tail = new LogTail();
  const s = new PassThrough();
  tail.consume(s);
  s.write('nginx: [emerg] cannot load certificate\n');
  await new Promise((r) => setImmediate(r));
  assert.equal(tail.text(), 'nginx: [emerg] cannot load certificate');
});
