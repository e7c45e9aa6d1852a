/**
 * The cert store's output checked by a program we did not write: OpenSSL 3 in the toolbox image
 * (`openssl verify`, `openssl x509`), as the Istio docs' readers would check theirs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../harness/certs/cert-store.ts';
import { dockerUnavailable, startToolbox, type ToolboxContainer } from '../harness/probes/ingress/testing/toolbox-container.ts';
import { ensureToolboxImage, TOOLBOX_IMAGE } from './images/ensure-toolbox.ts';

const noDocker = await dockerUnavailable();
let store: CertStore;
let box: ToolboxContainer | undefined;

before(async () => {
  if (noDocker) return;
  await ensureToolboxImage();
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.ca('example-ca-2', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('httpbin', {
    ca: 'example-ca', commonName: 'httpbin.example.com', organization: 'httpbin organization',
    dnsNames: ['httpbin.example.com', 'helloworld.example.com', 'nginx.example.com', '*.example.com'],
  });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com', organization: 'client organization' });
  await store.server('rotated', { ca: 'example-ca-2', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
  await store.server('expired', {
    ca: 'example-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'],
    notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000),
  });
  box = await startToolbox({ image: TOOLBOX_IMAGE, role: 'ingress-openssl' });
  await box.copyIn(`${store.dir}/.`, '/certs');
});

after(async () => {
  await box?.remove();
  await store?.dispose();
});

const openssl = (...args: string[]) => box!.exec(['openssl', ...args]);

test('openssl verifies the server and client certificates against the CA, for their purposes', { skip: noDocker }, async () => {
  const server = await openssl('verify', '-purpose', 'sslserver', '-CAfile', '/certs/example-ca.crt', '/certs/httpbin.crt');
  assert.deepEqual([server.exitCode, server.stdout.trim()], [0, '/certs/httpbin.crt: OK']);
  const client = await openssl('verify', '-purpose', 'sslclient', '-CAfile', '/certs/example-ca.crt', '/certs/client.crt');
  assert.deepEqual([client.exitCode, client.stdout.trim()], [0, '/certs/client.crt: OK']);
  const wrongPurpose = await openssl('verify', '-purpose', 'sslserver', '-CAfile', '/certs/example-ca.crt', '/certs/client.crt');
  assert.notEqual(wrongPurpose.exitCode, 0, 'a client certificate is not a server certificate');
});

test('openssl reads the subject, issuer and SANs the write-up shows', { skip: noDocker }, async () => {
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

test('each private key matches its certificate', { skip: noDocker }, async () => {
  for (const name of ['httpbin', 'client', 'example-ca']) {
    const fromCert = await openssl('x509', '-in', `/certs/${name}.crt`, '-noout', '-pubkey');
    const fromKey = await openssl('pkey', '-in', `/certs/${name}.key`, '-pubout');
    assert.equal(fromKey.exitCode, 0, fromKey.stderr);
    assert.equal(fromKey.stdout, fromCert.stdout, name);
  }
});

test('expired and rotated certificates fail the way curl in the docs fails', { skip: noDocker }, async () => {
  const expired = await openssl('verify', '-CAfile', '/certs/example-ca.crt', '/certs/expired.crt');
  assert.notEqual(expired.exitCode, 0);
  assert.match(expired.stdout + expired.stderr, /certificate has expired/);
  const rotated = await openssl('verify', '-CAfile', '/certs/example-ca.crt', '/certs/rotated.crt');
  assert.notEqual(rotated.exitCode, 0);
  assert.match(rotated.stdout + rotated.stderr, /certificate signature failure/);
  const fresh = await openssl('verify', '-CAfile', '/certs/example-ca-2.crt', '/certs/rotated.crt');
  assert.equal(fresh.exitCode, 0, fresh.stdout + fresh.stderr);
});
