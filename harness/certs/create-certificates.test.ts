import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createCertStore, EXAMPLE_CA_SUBJECT } from './cert-store.ts';
import { createCertificates } from './create-certificates.ts';

test('makes CAs before the leaves that name them, and reuses identical declarations', async () => {
  const store = await createCertStore();
  try {
    const made = await createCertificates(store, [
      { name: 'httpbin', kind: 'server', ca: 'example-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] },
      { name: 'client', kind: 'client', ca: 'example-ca', commonName: 'client.example.com' },
      { name: 'example-ca', kind: 'ca', subject: EXAMPLE_CA_SUBJECT },
    ]);
    const ca = new X509Certificate(store.get('example-ca').certPem);
    assert.equal(new X509Certificate(store.get('httpbin').certPem).verify(ca.publicKey), true);
    assert.equal(store.get('client').caName, 'example-ca');
    await createCertificates(store, [{ name: 'example-ca', kind: 'ca', subject: EXAMPLE_CA_SUBJECT }], made);
    await assert.rejects(
      createCertificates(store, [{ name: 'example-ca', kind: 'ca', subject: 'CN=other' }], made),
      /declared twice with different contents/,
    );
  } finally {
    await store.dispose();
  }
});
