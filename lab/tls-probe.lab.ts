/**
 * The tls probe (`openssl s_client`) against nginx and `openssl s_server`: right and wrong CA,
 * name mismatch, mutual TLS with and without a client certificate (the TLS 1.3 alert Envoy also
 * sends), TLS to a plain-text port, and a closed port.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertStore } from '../harness/certs/cert-store.ts';
import { check } from '../harness/checks/check.ts';
import type { TlsProbeSpec } from '../harness/model/probe-spec.ts';
import { observeTls } from '../harness/probes/tls-probe.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';
import { installCerts, labCertificates, PORTS, SITE_HOST, startMutualTlsServer, startNginx } from './support/lab-servers.ts';

const skip = await labSkip();
let lab: Lab;
let store: CertStore;
let web: string;
const tls = (spec: Omit<TlsProbeSpec, 'kind' | 'from' | 'host'>) =>
  observeTls({ kind: 'tls', from: 'client', host: web, ...spec }, { transport: lab.transport(), namespaceOf: () => 'lab' });

before(async () => {
  if (skip) return;
  lab = await createLab('tls');
  store = await labCertificates();
  await lab.start('client');
  web = (await lab.start('web')).ip;
  // The client key sits in the client container only, mode 0600 (keys never leave the run's temp dir otherwise).
  await installCerts(lab, 'client', store, ['lab-ca', 'other-ca', 'client'], ['client']);
  await lab.sh('client', 'chmod 600 /certs/client.key');
  await startNginx(lab, 'web', store);
  await startMutualTlsServer(lab, 'web', store);
});

after(async () => {
  await lab?.dispose();
  await store?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

test('right CA: handshake, TLS 1.3, verify 0, the served chain', { skip }, async () => {
  const o = await tls({ port: PORTS.https, servername: SITE_HOST, cacert: '/certs/lab-ca.crt' });
  assert.equal(o.handshake, 'ok');
  assert.equal(o.tlsVersion, 'TLSv1.3');
  assert.equal(o.cipher, 'TLS_AES_256_GCM_SHA384');
  assert.deepEqual(o.verifyResult, { code: 0, text: 'ok' });
  assert.equal(o.alert, undefined);
  assert.deepEqual(
    o.chain.map((c) => [c.subject, c.issuer]),
    [['CN=site.lab.test, O=site org', 'O=casebook lab, CN=lab root CA']],
  );
  assert.deepEqual(o.command, [
    'openssl',
    's_client',
    '-connect',
    `${web}:443`,
    '-showcerts',
    '-servername',
    SITE_HOST,
    '-verify_hostname',
    SITE_HOST,
    '-CAfile',
    '/certs/lab-ca.crt',
  ]);
  assert.equal(
    check.all(check.handshakeOk(), check.verified(), check.tlsVersion('TLSv1.3'), check.certSubject(/CN=site\.lab\.test/)).evaluate(o).ok,
    true,
  );
});

test('wrong CA: the handshake completes, verification fails (21), verified() says why', { skip }, async () => {
  const o = await tls({ port: PORTS.https, servername: SITE_HOST, cacert: '/certs/other-ca.crt' });
  assert.equal(o.handshake, 'ok');
  assert.deepEqual(o.verifyResult, { code: 21, text: 'unable to verify the first certificate' });
  const r = check.verified().evaluate(o);
  assert.equal(r.ok, false);
  assert.equal(
    r.message,
    'expected a chain verified against the given CA (verify code 0), got handshake ok, TLSv1.3, verify 21 (unable to verify the first certificate), served "CN=site.lab.test, O=site org"',
  );
});

test('name mismatch: verify 62', { skip }, async () => {
  const o = await tls({ port: PORTS.https, servername: 'other.lab.test', cacert: '/certs/lab-ca.crt' });
  assert.deepEqual(o.verifyResult, { code: 62, text: 'hostname mismatch' });
  assert.equal(o.chain[0]?.sans[0], 'site.lab.test');
});

test('mutual TLS without a client certificate: "tlsv13 alert certificate required"', { skip }, async () => {
  const o = await tls({ port: PORTS.mutualAlert, servername: SITE_HOST, cacert: '/certs/lab-ca.crt' });
  assert.equal(o.alert, 'tlsv13 alert certificate required');
  assert.equal(o.tlsVersion, 'TLSv1.3');
  assert.equal(check.tlsAlert(/certificate required/).evaluate(o).ok, true);
  assert.equal(check.handshakeOk().evaluate(o).ok, false);
  // s_server sends its chain: leaf then the lab CA.
  assert.deepEqual(
    o.chain.map((c) => c.subject),
    ['CN=site.lab.test, O=site org', 'O=casebook lab, CN=lab root CA'],
  );
});

test('mutual TLS with a client certificate: no alert, verified', { skip }, async () => {
  const withCert = await tls({
    port: PORTS.mutualAlert,
    servername: SITE_HOST,
    cacert: '/certs/lab-ca.crt',
    cert: '/certs/client.crt',
    key: '/certs/client.key',
  });
  assert.equal(withCert.alert, undefined);
  assert.equal(check.all(check.handshakeOk(), check.verified()).evaluate(withCert).ok, true);
  const nginx = await tls({
    port: PORTS.mutualNginx,
    servername: SITE_HOST,
    cacert: '/certs/lab-ca.crt',
    cert: '/certs/client.crt',
    key: '/certs/client.key',
  });
  assert.equal(check.all(check.handshakeOk(), check.verified()).evaluate(nginx).ok, true);
});

test('TLS to a plain-text port and to a closed port: no handshake, and why', { skip }, async () => {
  const plain = await tls({ port: PORTS.http });
  assert.equal(plain.handshake, 'failed');
  assert.equal(plain.error, 'the server did not answer with TLS (plain text?)');
  assert.deepEqual(plain.chain, []);
  assert.equal(plain.verifyResult, undefined);
  const closed = await tls({ port: PORTS.nothing });
  assert.equal(closed.handshake, 'failed');
  assert.equal(closed.error, 'connection refused');
  assert.match(check.handshakeOk().evaluate(closed).message, /^expected a completed TLS handshake without alert, got handshake failed/);
});
