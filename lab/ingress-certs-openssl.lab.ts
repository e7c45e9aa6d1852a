/**
 * The cert store's output checked by a program we did not write: OpenSSL 3 in the toolbox image
 * (`openssl verify`, `openssl x509`), as the Istio docs' readers would check theirs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../harness/certs/cert-store.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';

const skip = await labSkip();
let store: CertStore;
let lab: Lab | undefined;

before(async () => {
  if (skip) return;
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.ca('example-ca-2', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('httpbin', {
    ca: 'example-ca',
    commonName: 'httpbin.example.com',
    organization: 'httpbin organization',
    dnsNames: ['httpbin.example.com', 'helloworld.example.com', 'nginx.example.com', '*.example.com'],
  });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com', organization: 'client organization' });
  await store.server('rotated', { ca: 'example-ca-2', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
  await store.server('expired', {
    ca: 'example-ca',
    commonName: 'httpbin.example.com',
    dnsNames: ['httpbin.example.com'],
    notBefore: new Date(Date.now() - 30 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  lab = await createLab('openssl');
  await lab.start('openssl');
  await lab.copyIn('openssl', `${store.dir}/.`, '/certs');
});

after(async () => {
  await lab?.dispose();
  await store?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

const openssl = (...args: string[]) => lab!.exec('openssl', ['openssl', ...args]);

test('openssl verifies the server and client certificates against the CA, for their purposes', { skip }, async () => {
  const server = await openssl('verify', '-purpose', 'sslserver', '-CAfile', '/certs/example-ca.crt', '/certs/httpbin.crt');
  assert.deepEqual([server.exitCode, server.stdout.trim()], [0, '/certs/httpbin.crt: OK']);
  const client = await openssl('verify', '-purpose', 'sslclient', '-CAfile', '/certs/example-ca.crt', '/certs/client.crt');
  assert.deepEqual([client.exitCode, client.stdout.trim()], [0, '/certs/client.crt: OK']);
  const wrongPurpose = await openssl('verify', '-purpose', 'sslserver', '-CAfile', '/certs/example-ca.crt', '/certs/client.crt');
  assert.notEqual(wrongPurpose.exitCode, 0, 'a client certificate is not a server certificate');
});

test('openssl reads the subject, issuer and SANs the write-up shows', { skip }, async () => {
  const r = await openssl('x509', '-in', '/certs/httpbin.crt', '-noout', '-subject', '-issuer', '-ext', 'subjectAltName,basicConstraints');
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /^subject=CN\s?=\s?httpbin\.example\.com, O\s?=\s?httpbin organization$/m);
  assert.match(r.stdout, /^issuer=O\s?=\s?example Inc\., CN\s?=\s?example\.com$/m);
  assert.match(r.stdout, /DNS:httpbin\.example\.com, DNS:helloworld\.example\.com, DNS:nginx\.example\.com, DNS:\*\.example\.com/);
  assert.match(r.stdout, /CA:FALSE/);
  const ca = await openssl('x509', '-in', '/certs/example-ca.crt', '-noout', '-ext', 'basicConstraints,keyUsage');
  assert.match(ca.stdout, /CA:TRUE/);
  assert.match(ca.stdout, /Certificate Sign, CRL Sign/);
});

test('each private key matches its certificate', { skip }, async () => {
  for (const name of ['httpbin', 'client', 'example-ca']) {
    const fromCert = await openssl('x509', '-in', `/certs/${name}.crt`, '-noout', '-pubkey');
    const fromKey = await openssl('pkey', '-in', `/certs/${name}.key`, '-pubout');
    assert.equal(fromKey.exitCode, 0, fromKey.stderr);
    assert.equal(fromKey.stdout, fromCert.stdout, name);
  }
});

test('expired and rotated certificates fail the way curl in the docs fails', { skip }, async () => {
  const expired = await openssl('verify', '-CAfile', '/certs/example-ca.crt', '/certs/expired.crt');
  assert.notEqual(expired.exitCode, 0);
  assert.match(expired.stdout + expired.stderr, /certificate has expired/);
  const rotated = await openssl('verify', '-CAfile', '/certs/example-ca.crt', '/certs/rotated.crt');
  assert.notEqual(rotated.exitCode, 0);
  assert.match(rotated.stdout + rotated.stderr, /certificate signature failure/);
  const fresh = await openssl('verify', '-CAfile', '/certs/example-ca-2.crt', '/certs/rotated.crt');
  assert.equal(fresh.exitCode, 0, fresh.stdout + fresh.stderr);
});
