import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createCertStore, EXAMPLE_CA_SUBJECT } from './cert-store.ts';
import { UsageError } from '../model/errors.ts';

test('cert store makes a CA, server and client certificates that node:crypto verifies', async () => {
  const store = await createCertStore();
  try {
    assert.equal(statSync(store.dir).mode & 0o777, 0o700);
    const ca = await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
    const srv = await store.server('httpbin', {
      ca: 'example-ca',
      commonName: 'httpbin.example.com',
      organization: 'httpbin organization',
      dnsNames: ['httpbin.example.com', '*.example.com'],
    });
    const cli = await store.client('client', { ca: 'example-ca', commonName: 'client.example.com' });

    const caCert = new X509Certificate(ca.certPem);
    assert.equal(caCert.subject, 'O=example Inc.\nCN=example.com');
    assert.equal(caCert.ca, true);
    const s = new X509Certificate(srv.certPem);
    assert.equal(s.subject, 'CN=httpbin.example.com\nO=httpbin organization');
    assert.equal(s.issuer, caCert.subject);
    assert.equal(s.subjectAltName, 'DNS:httpbin.example.com, DNS:*.example.com');
    assert.equal(s.checkIssued(caCert), true);
    assert.equal(s.verify(caCert.publicKey), true);
    assert.equal(s.checkHost('helloworld.example.com'), '*.example.com');
    assert.equal(s.infoAccess, undefined);
    assert.equal(new X509Certificate(cli.certPem).verify(caCert.publicKey), true);
    assert.equal(srv.chainPem, srv.certPem + ca.certPem);
    assert.equal(srv.caPath, ca.certPath);

    for (const c of [ca, srv, cli]) assert.equal(statSync(c.keyPath).mode & 0o777, 0o600, c.keyPath);
    assert.match(store.keyPem('httpbin'), /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    assert.deepEqual(store.get('httpbin'), srv);
  } finally {
    await store.dispose();
  }
  assert.equal(existsSync(store.dir), false);
});

test('a second CA with the same subject signs leaves the first CA cannot verify', async () => {
  const store = await createCertStore();
  try {
    await store.ca('ca1', { subject: EXAMPLE_CA_SUBJECT });
    const ca2 = await store.ca('ca2', { subject: EXAMPLE_CA_SUBJECT });
    const leaf = await store.server('rotated', { ca: 'ca2', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
    const old = new X509Certificate(store.get('ca1').certPem);
    const l = new X509Certificate(leaf.certPem);
    assert.equal(l.issuer, old.subject, 'same issuer name as the old CA');
    assert.equal(l.checkIssued(old), true, 'no AKI: the name match alone makes the old CA a candidate');
    assert.equal(l.verify(old.publicKey), false);
    assert.equal(l.verify(new X509Certificate(ca2.certPem).publicKey), true);
  } finally {
    await store.dispose();
  }
});

test('expired certificates and input errors', async () => {
  const store = await createCertStore();
  try {
    await store.ca('ca', { subject: EXAMPLE_CA_SUBJECT });
    const past = await store.server('old', {
      ca: 'ca',
      commonName: 'old.example.com',
      dnsNames: ['old.example.com'],
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    assert.ok(new Date(new X509Certificate(past.certPem).validTo) < new Date());
    await assert.rejects(store.server('x', { ca: 'nope', commonName: 'x', dnsNames: [] }), UsageError);
    await assert.rejects(store.ca('ca', { subject: 'CN=dup' }), /already made/);
    await assert.rejects(store.ca('../evil', { subject: 'CN=x' }), /not usable as a file name/);
    assert.throws(
      () => store.get('missing'),
      (e: UsageError) => e instanceof UsageError && /known: ca, old/.test(e.hint ?? ''),
    );
  } finally {
    await store.dispose();
    await store.dispose();
  }
});
