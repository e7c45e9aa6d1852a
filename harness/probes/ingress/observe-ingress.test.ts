import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../../certs/cert-store.ts';
import { observeIngress, type IngressAddress } from './observe-ingress.ts';
import * as servers from './testing/local-servers.ts';

let store: CertStore;
let https: servers.Running;
let mutual: servers.Running;
let http: servers.Running;
let address: IngressAddress;

before(async () => {
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('httpbin', { ca: 'example-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com' });
  const identity = { certPem: store.get('httpbin').certPem, keyPem: store.keyPem('httpbin') };
  https = await servers.startHttpsServer({ name: 'gw', identity });
  mutual = await servers.startHttpsServer({ name: 'gw-mutual', identity, clientCa: store.get('example-ca').certPem });
  http = await servers.startHttpServer('gw-http');
  address = { host: '127.0.0.1', httpPort: http.port, httpsPort: https.port };
});
after(async () => {
  await Promise.all([https.close(), mutual.close(), http.close()]);
  await store.dispose();
});

test('an https URL goes to the https port with the URL host as SNI and a port-less Host, like -HHost', async () => {
  const o = await observeIngress(
    { kind: 'ingress', url: 'https://httpbin.example.com/headers', ca: 'example-ca' },
    { address, certs: store },
  );
  assert.equal(o.status, 200);
  assert.equal(o.connectedTo, `127.0.0.1:${https.port}`);
  assert.equal(JSON.parse(o.body ?? '{}').headers.host, 'httpbin.example.com');
  assert.equal(o.certificate?.subject, 'CN=httpbin.example.com');
  assert.equal('handshake' in o, false, 'no raw handshake details in the observation');
});

test('an http URL goes to the http port; spec.host overrides the Host header', async () => {
  const o = await observeIngress(
    { kind: 'ingress', url: 'http://anything.local/headers', host: 'httpbin.example.com' },
    { address, certs: store },
  );
  assert.equal(o.connectedTo, `127.0.0.1:${http.port}`);
  assert.equal(JSON.parse(o.body ?? '{}').headers.host, 'httpbin.example.com');
});

test('a literal IP URL (resolved ${ingress.https}) is used as is: no SNI, so the name check fails like curl', async () => {
  const o = await observeIngress(
    { kind: 'ingress', url: `https://127.0.0.1:${https.port}/status/418`, host: 'httpbin.example.com', ca: 'example-ca' },
    { address: { ...address, httpsPort: 1 }, certs: store },
  );
  assert.equal(o.connectedTo, `127.0.0.1:${https.port}`);
  assert.deepEqual([o.error?.kind, o.error?.code], ['name-mismatch', 'ERR_TLS_CERT_ALTNAME_INVALID']);
});

test('clientCert names a certificate of the store (mutual TLS)', async () => {
  const ctx = { address: { ...address, httpsPort: mutual.port }, certs: store };
  const without = await observeIngress({ kind: 'ingress', url: 'https://httpbin.example.com/status/418', ca: 'example-ca' }, ctx);
  assert.equal(without.error?.kind, 'certificate-required');
  const withCert = await observeIngress(
    { kind: 'ingress', url: 'https://httpbin.example.com/status/418', ca: 'example-ca', clientCert: 'client' },
    ctx,
  );
  assert.equal(withCert.status, 418);
});
