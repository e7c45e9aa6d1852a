import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from './cert-store.ts';
import { secretFor } from './secrets.ts';

let store: CertStore;
before(async () => {
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('httpbin', { ca: 'example-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
});
after(() => store.dispose());

const decode = (data: Record<string, string>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));

test('tls format: kubernetes.io/tls with tls.crt, tls.key and ca.crt', async () => {
  const s = await secretFor(
    { name: 'httpbin-credential', namespace: 'istio-system', format: 'tls', cert: 'httpbin', ca: 'example-ca' },
    store,
    { labels: { 'casebook.dev/run': 'r1' } },
  );
  assert.equal(s.type, 'kubernetes.io/tls');
  assert.deepEqual(s.metadata, {
    name: 'httpbin-credential',
    namespace: 'istio-system',
    labels: { 'casebook.dev/run': 'r1', 'casebook.dev/managed-by': 'istio-casebook' },
  });
  assert.deepEqual(decode(s.data), {
    'tls.crt': store.get('httpbin').certPem,
    'tls.key': store.keyPem('httpbin'),
    'ca.crt': store.get('example-ca').certPem,
  });
});

test('generic format: Opaque with cert, key and optional cacert', async () => {
  const s = await secretFor({ name: 'httpbin-credential', namespace: 'istio-system', format: 'generic', cert: 'httpbin' }, store);
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(Object.keys(s.data), ['cert', 'key']);
  assert.match(decode(s.data).key ?? '', /BEGIN PRIVATE KEY/);
});

test('cacert format: only the CA under key cacert', async () => {
  const s = await secretFor({ name: 'httpbin-credential-cacert', namespace: 'istio-system', format: 'cacert', ca: 'example-ca' }, store);
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(decode(s.data), { cacert: store.get('example-ca').certPem });
});

test('incomplete requests are usage errors that name the secret', async () => {
  await assert.rejects(secretFor({ name: 'a', namespace: 'istio-system', format: 'tls' }, store), /istio-system\/a .*names no certificate/);
  await assert.rejects(secretFor({ name: 'b', namespace: 'istio-system', format: 'cacert' }, store), /names no CA/);
  await assert.rejects(secretFor({ name: 'c', namespace: 'x', format: 'tls', cert: 'missing' }, store), /"missing" does not exist/);
});
