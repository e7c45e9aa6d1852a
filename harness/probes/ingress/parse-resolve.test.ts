import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResolve } from './parse-resolve.ts';

test('parses curl --resolve entries', () => {
  assert.deepEqual(parseResolve('httpbin.example.com:443:127.0.0.1'), { host: 'httpbin.example.com', port: 443, address: '127.0.0.1' });
  assert.deepEqual(parseResolve('Nginx.Example.com:8443:[::1]'), { host: 'nginx.example.com', port: 8443, address: '::1' });
});

test('rejects malformed entries with a usage error showing the form', () => {
  for (const bad of ['httpbin.example.com:443', 'httpbin.example.com:99999:127.0.0.1', ':443:127.0.0.1', 'a:b:c']) {
    assert.throws(
      () => parseResolve(bad),
      (e: Error & { hint?: string }) => e.name === 'UsageError' && /--resolve httpbin/.test(e.hint ?? ''),
      bad,
    );
  }
});
