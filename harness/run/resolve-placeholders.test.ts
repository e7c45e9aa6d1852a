import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePlaceholders, type PlaceholderSources } from './resolve-placeholders.ts';
import { UsageError } from '../model/errors.ts';

function sources(calls: string[]): PlaceholderSources {
  return {
    externalIp: (n) => {
      calls.push(`external ${n}`);
      return n === 'mysql' ? '172.18.0.5' : '172.18.0.6';
    },
    serviceClusterIp: async (ns, n) => {
      calls.push(`service ${ns}/${n}`);
      return '10.96.12.34';
    },
    ingress: { http: '127.0.0.1:8080', https: '127.0.0.1:8443' },
    caPemPath: (n) => `/tmp/certs/${n}.pem`,
  };
}

test('placeholders in probe specs and manifests resolve from their sources, each looked up once', async () => {
  const calls: string[] = [];
  const input = {
    kind: 'tcp',
    from: 'curl',
    host: '${external.mysql.ip}',
    port: 3306,
    manifest: [{ spec: { endpoints: [{ address: '${external.mysql.ip}' }], addresses: ['${service.demo1/httpbin.clusterIP}'] } }],
    url: 'https://${ingress.https}/status/418',
    cacert: '${ca.example-ca.pem-path}',
    plain: 'no placeholder $HOME',
  };
  const out = await resolvePlaceholders(input, sources(calls));
  assert.deepEqual(out, {
    kind: 'tcp',
    from: 'curl',
    host: '172.18.0.5',
    port: 3306,
    manifest: [{ spec: { endpoints: [{ address: '172.18.0.5' }], addresses: ['10.96.12.34'] } }],
    url: 'https://127.0.0.1:8443/status/418',
    cacert: '/tmp/certs/example-ca.pem',
    plain: 'no placeholder $HOME',
  });
  assert.deepEqual(calls, ['external mysql', 'service demo1/httpbin']);
  assert.equal(input.host, '${external.mysql.ip}', 'input untouched');
});

test('an unknown placeholder, or ingress without an address, is a usage error naming it', async () => {
  await assert.rejects(
    resolvePlaceholders({ a: '${external.mysql.port}' }, sources([])),
    (e: unknown) => e instanceof UsageError && /unknown placeholder \$\{external\.mysql\.port\}/.test(e.message),
  );
  await assert.rejects(
    resolvePlaceholders('${ingress.http}', { ...sources([]), ingress: undefined }),
    (e: unknown) => e instanceof UsageError && /no known ingress address/.test(e.message),
  );
});
