import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../../certs/cert-store.ts';
import { ingressRequest, type IngressRequest } from './ingress-request.ts';
import * as servers from './testing/local-servers.ts';

/**
 * Every case runs against a real node:tls / node:https server on 127.0.0.1 with certificates
 * from the cert store. The error codes asserted here are the ones Node 24 + undici 8 raise.
 */
let store: CertStore;
const running: servers.Running[] = [];
const port: Record<string, number> = {};

const id = (name: string) => ({ certPem: store.get(name).certPem, keyPem: store.keyPem(name) });
const at = (name: string) => ({ host: '127.0.0.1', port: port[name] as number });
const ca = () => store.get('example-ca').certPem;
const client = (name: string) => ({ cert: store.get(name).certPem, key: store.keyPem(name) });
const get = (r: Partial<IngressRequest> & { url: string }) => ingressRequest({ timeoutMs: 5_000, ...r });

before(async () => {
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.ca('rotated-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.ca('other-ca', { subject: 'O=other Inc.,CN=other.example' });
  await store.server('httpbin', {
    ca: 'example-ca',
    commonName: 'httpbin.example.com',
    organization: 'httpbin organization',
    dnsNames: ['httpbin.example.com'],
  });
  await store.server('helloworld', { ca: 'example-ca', commonName: 'helloworld.example.com', dnsNames: ['helloworld.example.com'] });
  await store.server('nginx', { ca: 'example-ca', commonName: 'nginx.example.com', dnsNames: ['nginx.example.com'] });
  await store.server('httpbin-rotated', { ca: 'rotated-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] });
  await store.server('httpbin-rotated-aki', {
    ca: 'rotated-ca',
    commonName: 'httpbin.example.com',
    dnsNames: ['httpbin.example.com'],
    authorityKeyIdentifier: true,
  });
  await store.server('httpbin-expired', {
    ca: 'example-ca',
    commonName: 'httpbin.example.com',
    dnsNames: ['httpbin.example.com'],
    notBefore: new Date(Date.now() - 30 * 86_400_000),
    notAfter: new Date(Date.now() - 86_400_000),
  });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com' });
  await store.client('stranger', { ca: 'other-ca', commonName: 'client.example.com' });

  const start = async (name: string, r: Promise<servers.Running>) => {
    const s = await r;
    running.push(s);
    port[name] = s.port;
  };
  await start(
    'gateway',
    servers.startHttpsServer({ name: 'gateway', identity: id('httpbin'), sni: { 'helloworld.example.com': id('helloworld') } }),
  );
  await start('rotated', servers.startHttpsServer({ name: 'rotated', identity: id('httpbin-rotated') }));
  await start('rotated-aki', servers.startHttpsServer({ name: 'rotated-aki', identity: id('httpbin-rotated-aki') }));
  await start('expired', servers.startHttpsServer({ name: 'expired', identity: id('httpbin-expired') }));
  await start('mutual', servers.startHttpsServer({ name: 'mutual', identity: id('httpbin'), clientCa: ca() }));
  await start(
    'mutual-tls12',
    servers.startHttpsServer({ name: 'mutual-tls12', identity: id('httpbin'), clientCa: ca(), maxVersion: 'TLSv1.2' }),
  );
  await start('nginx', servers.startHttpsServer({ name: 'nginx', identity: { ...id('nginx'), chainPem: store.get('nginx').chainPem } }));
  await start(
    'passthrough',
    servers.startSniProxy({ 'nginx.example.com': port['nginx'] as number, 'httpbin.example.com': port['gateway'] as number }),
  );
  await start('plaintext', servers.startHttpServer('plaintext'));
  await start('silent', servers.startSilentServer());
  port['refused'] = await servers.refusedPort();
});

after(async () => {
  await Promise.all(running.map((s) => s.close()));
  await store.dispose();
});

describe('SIMPLE TLS', () => {
  test('right CA: 418, served certificate and TLS version reported', async () => {
    const o = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('gateway'), ca: ca() });
    assert.equal(o.error, undefined);
    assert.equal(o.status, 418);
    assert.equal(o.connectedTo, `127.0.0.1:${port['gateway']}`);
    assert.equal(o.tlsVersion, 'TLSv1.3');
    assert.equal(o.certificate?.subject, 'CN=httpbin.example.com, O=httpbin organization');
    assert.equal(o.certificate?.issuer, 'O=example Inc., CN=example.com');
    assert.deepEqual(o.certificate?.sans, ['httpbin.example.com']);
    assert.ok(Date.parse(o.certificate?.validTo ?? '') > Date.now());
    assert.equal(o.chain?.[1]?.subject, 'O=example Inc., CN=example.com', 'chain ends at the trusted root');
    assert.equal(o.headers?.['x-sni'], 'httpbin.example.com');
  });

  test('Host header and SNI follow curl: -H Host changes Host only, SNI stays the URL host', async () => {
    const o = await get({
      url: 'https://httpbin.example.com/headers',
      connectTo: at('gateway'),
      ca: ca(),
      headers: { host: 'other.example.com' },
    });
    assert.equal(o.status, 200);
    assert.equal(JSON.parse(o.body ?? '{}').headers.host, 'other.example.com');
    assert.equal(o.headers?.['x-sni'], 'httpbin.example.com');
    const d = await get({ url: `https://httpbin.example.com:${port['gateway']}/headers`, ca: ca(), connectTo: at('gateway') });
    assert.equal(
      JSON.parse(d.body ?? '{}').headers.host,
      `httpbin.example.com:${port['gateway']}`,
      'default Host keeps a non-default port, as curl does',
    );
  });

  test('SNI selects between two certificates on one port', async () => {
    const o = await get({ url: 'https://helloworld.example.com/', connectTo: at('gateway'), ca: ca() });
    assert.equal(o.status, 200);
    assert.equal(o.certificate?.subject, 'CN=helloworld.example.com');
    assert.equal(o.headers?.['x-sni'], 'helloworld.example.com');
  });

  test('wrong CA: unknown-ca (UNABLE_TO_VERIFY_LEAF_SIGNATURE), served certificate still reported', async () => {
    const o = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('gateway'), ca: store.get('other-ca').certPem });
    assert.equal(o.status, undefined);
    assert.deepEqual([o.error?.kind, o.error?.code], ['unknown-ca', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    assert.equal(o.certificate?.subject, 'CN=httpbin.example.com, O=httpbin organization');
  });

  test('server sending leaf + CA to a client that trusts another CA: SELF_SIGNED_CERT_IN_CHAIN', async () => {
    const o = await get({ url: 'https://nginx.example.com/', connectTo: at('nginx'), ca: store.get('other-ca').certPem });
    assert.deepEqual([o.error?.kind, o.error?.code], ['unknown-ca', 'SELF_SIGNED_CERT_IN_CHAIN']);
  });

  test('name mismatch: ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const o = await get({ url: 'https://nginx.example.com/status/418', connectTo: at('gateway'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['name-mismatch', 'ERR_TLS_CERT_ALTNAME_INVALID']);
    assert.match(o.error?.message ?? '', /nginx\.example\.com.*DNS:httpbin\.example\.com/);
  });

  test('rotation: old CA against a leaf of the new same-subject CA, leaf without AKI: CERT_SIGNATURE_FAILURE', async () => {
    const o = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('rotated'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['bad-signature', 'CERT_SIGNATURE_FAILURE']);
    const fresh = await get({
      url: 'https://httpbin.example.com/status/418',
      connectTo: at('rotated'),
      ca: store.get('rotated-ca').certPem,
    });
    assert.equal(fresh.status, 418);
  });

  test('rotation with an AKI in the leaf: the old CA is not even a candidate issuer', async () => {
    const o = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('rotated-aki'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['unknown-ca', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
  });

  test('expired server certificate: CERT_HAS_EXPIRED', async () => {
    const o = await get({ url: 'https://httpbin.example.com/', connectTo: at('expired'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['expired', 'CERT_HAS_EXPIRED']);
    assert.ok(Date.parse(o.certificate?.validTo ?? '') < Date.now());
  });

  test('insecure (-k) accepts the wrong CA and still reports the certificate', async () => {
    const o = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('gateway'), insecure: true });
    assert.equal(o.status, 418);
    assert.equal(o.certificate?.subject, 'CN=httpbin.example.com, O=httpbin organization');
  });
});

describe('MUTUAL TLS', () => {
  const url = 'https://httpbin.example.com/status/418';

  test('no client certificate on TLS 1.3: certificate-required, seen only on the raw socket', async () => {
    const o = await get({ url, connectTo: at('mutual'), ca: ca() });
    assert.equal(o.status, undefined);
    assert.deepEqual([o.error?.kind, o.error?.code], ['certificate-required', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']);
    assert.match(o.error?.message ?? '', /undici: UND_ERR_SOCKET other side closed/);
    assert.equal(o.tlsVersion, 'TLSv1.3');
  });

  test('no client certificate on TLS 1.2: handshake alert (handshake failure)', async () => {
    const o = await get({ url, connectTo: at('mutual-tls12'), ca: ca() });
    assert.equal(o.error?.kind, 'handshake-alert');
    assert.equal(o.error?.code, 'ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE');
  });

  test('untrusted client certificate: no response; Node closes right after the handshake', async () => {
    const o = await get({ url, connectTo: at('mutual'), ca: ca(), ...client('stranger') });
    assert.equal(o.status, undefined);
    assert.deepEqual([o.error?.kind, o.error?.code], ['other', 'UND_ERR_SOCKET']);
    assert.match(o.error?.message ?? '', /closed the connection right after the TLS handshake/);
  });

  test('client certificate signed by the CA: 418', async () => {
    const o = await get({ url, connectTo: at('mutual'), ca: ca(), ...client('client') });
    assert.equal(o.error, undefined);
    assert.equal(o.status, 418);
  });
});

describe('PASSTHROUGH and transport failures', () => {
  test('TLS passthrough by SNI: the backend serves its own certificate', async () => {
    const o = await get({ url: 'https://nginx.example.com/', connectTo: at('passthrough'), ca: ca() });
    assert.equal(o.status, 200);
    assert.equal(o.certificate?.subject, 'CN=nginx.example.com');
    assert.match(o.body ?? '', /Hello from nginx/);
    const other = await get({ url: 'https://httpbin.example.com/status/418', connectTo: at('passthrough'), ca: ca() });
    assert.equal(other.status, 418);
    assert.equal(other.certificate?.subject, 'CN=httpbin.example.com, O=httpbin organization');
  });

  test('passthrough without a route for the SNI: reset before TLS (ECONNRESET)', async () => {
    const o = await get({ url: 'https://unrouted.example.com/', connectTo: at('passthrough'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['reset-before-tls', 'ECONNRESET']);
  });

  test('TLS to a plaintext port: ERR_SSL_WRONG_VERSION_NUMBER', async () => {
    const o = await get({ url: 'https://httpbin.example.com/', connectTo: at('plaintext'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['tls-on-plaintext', 'ERR_SSL_WRONG_VERSION_NUMBER']);
  });

  test('plain HTTP works and reports no TLS', async () => {
    const o = await get({ url: 'http://httpbin.example.com/status/200', connectTo: at('plaintext') });
    assert.equal(o.status, 200);
    assert.equal(o.tlsVersion, undefined);
    assert.equal(o.certificate, undefined);
  });

  test('refused port: ECONNREFUSED', async () => {
    const o = await get({ url: 'https://httpbin.example.com/', connectTo: at('refused'), ca: ca() });
    assert.deepEqual([o.error?.kind, o.error?.code], ['refused', 'ECONNREFUSED']);
  });

  test('TCP accepted but no handshake: timeout (UND_ERR_CONNECT_TIMEOUT) within the deadline', async () => {
    const t0 = Date.now();
    const o = await get({ url: 'https://httpbin.example.com/', connectTo: at('silent'), ca: ca(), timeoutMs: 500 });
    assert.deepEqual([o.error?.kind, o.error?.code], ['timeout', 'UND_ERR_CONNECT_TIMEOUT']);
    assert.ok(Date.now() - t0 < 3_000, `took ${Date.now() - t0} ms`);
  });

  test('a URL that is not http(s) is a usage error, not an observation', async () => {
    await assert.rejects(get({ url: 'https://${ingress.https}/x' }), /is not an http\(s\) URL/);
    await assert.rejects(get({ url: 'ftp://httpbin.example.com/' }), (e: Error) => e.name === 'UsageError');
  });

  test('long bodies are bounded', async () => {
    const o = await get({ url: 'http://httpbin.example.com/big', connectTo: at('plaintext'), maxBodyBytes: 1000 });
    assert.equal(o.body?.length, 1000);
    assert.equal(o.bodyTruncated, true);
  });
});

describe("nothing of the user's request reaches a server whose certificate was rejected", () => {
  test('without -k, a wrong-CA server gets no bytes after the handshake (no path, no query token); the chain is still reported', async () => {
    const tls = await import('node:tls');
    const received: Buffer[] = [];
    const server = tls.createServer({ cert: store.get('httpbin').certPem, key: store.keyPem('httpbin') }, (s) => {
      s.on('data', (d: Buffer) => received.push(d));
      s.on('error', () => {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const serverPort = (server.address() as { port: number }).port;
    try {
      const o = await get({
        url: 'https://httpbin.example.com/api?access_token=QUERY-TOKEN-123',
        connectTo: { host: '127.0.0.1', port: serverPort },
        ca: store.get('other-ca').certPem,
        headers: { host: 'internal.example' },
      });
      assert.equal(o.error?.kind, 'unknown-ca');
      assert.equal(o.certificate?.subject, 'CN=httpbin.example.com, O=httpbin organization');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(Buffer.concat(received).toString('latin1'), '');
    } finally {
      server.close();
    }
  });

  test('CR or LF in a header is a usage error, not a request (header injection)', async () => {
    const { UsageError } = await import('../../model/errors.ts');
    await assert.rejects(
      get({ url: 'https://httpbin.example.com/x', connectTo: at('gateway'), ca: ca(), headers: { host: 'a.example\r\nX-Injected: yes' } }),
      UsageError,
    );
  });
});
