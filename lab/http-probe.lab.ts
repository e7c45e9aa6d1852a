/**
 * The http probe (curl -w '%{json}' in a client container) against Debian's nginx on a Docker
 * network: statuses, bodies, headers, served certificates, and curl's failures (wrong CA, name
 * mismatch, TLS to a plain-text port, refused, timed out), judged by the checks scenarios use.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { CertStore } from '../harness/certs/cert-store.ts';
import { check } from '../harness/checks/check.ts';
import type { HttpProbeSpec } from '../harness/model/probe-spec.ts';
import { observe } from '../harness/probes/observe.ts';
import { observeHttp } from '../harness/probes/http-probe.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';
import { installCerts, labCertificates, PORTS, SITE_HOST, startBlackhole, startNginx } from './support/lab-servers.ts';

const skip = await labSkip();
let lab: Lab;
let store: CertStore;
let web: string;
let hole: string;
const ctx = () => ({ transport: lab.transport(), namespaceOf: () => 'lab' });
const http = (spec: Omit<HttpProbeSpec, 'kind' | 'from'>) => observeHttp({ kind: 'http', from: 'client', ...spec }, ctx());
const tls = (url: string, extra: Partial<HttpProbeSpec> = {}) =>
  http({ url, resolve: [`${new URL(url).hostname}:${new URL(url).port || 443}:${web}`], ...extra });

before(async () => {
  if (skip) return;
  lab = await createLab('http');
  store = await labCertificates();
  const client = await lab.start('client');
  web = (await lab.start('web')).ip;
  hole = (await lab.start('hole', { capAdd: ['NET_ADMIN'] })).ip;
  await installCerts(lab, 'client', store, ['lab-ca', 'other-ca']);
  await startNginx(lab, 'web', store);
  await startBlackhole(lab, 'hole', client.ip);
});

after(async () => {
  await lab?.dispose();
  await store?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

test('200 with body, header, remote address and timings', { skip }, async () => {
  const o = await http({ url: `http://${web}/ok` });
  assert.deepEqual(o.command, ['curl', '-sS', '--max-time', '10', `http://${web}/ok`]);
  assert.equal(o.responses.length, 1);
  const r = o.responses[0]!;
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello from nginx\n');
  assert.equal(r.headers['X-Lab'], 'lab-ok');
  assert.equal(r.headers['Content-Length'], '17');
  assert.equal(r.curlExit, 0);
  assert.equal(r.curlExitMeaning, 'ok');
  assert.equal(r.remoteIp, web);
  assert.equal(r.remotePort, 80);
  assert.ok(r.timings!['totalMs']! > 0 && r.timings!['totalMs']! < 5000, `total ${r.timings!['totalMs']} ms`);
  assert.equal(r.certificate, undefined);
  assert.equal(check.ok().evaluate(o).ok, true);
  assert.equal(check.all(check.status(200), check.header('x-lab', 'lab-ok'), check.bodyStartsWith('hello from')).evaluate(o).ok, true);
  const wrong = check.status(503).evaluate(o);
  assert.equal(wrong.ok, false);
  assert.equal(wrong.message, 'expected status 503, got status 200; status 200; body "hello from nginx"');
});

test('404 and a repeated, concurrent 503 that every response must show', { skip }, async () => {
  const missing = await http({ url: `http://${web}/nope` });
  assert.equal(missing.responses[0]!.status, 404);
  assert.equal(missing.responses[0]!.body, '404 page not found\n');
  assert.equal(check.bodyStartsWith('404 page not found').evaluate(missing).ok, true);

  const o = await http({ url: `http://${web}/unavailable`, repeat: 5, concurrency: 3 });
  assert.deepEqual(
    o.responses.map((r) => r.status),
    [503, 503, 503, 503, 503],
  );
  assert.ok(
    o.responses.every((r) => r.body === 'upstream connect error or disconnect/reset before headers. reset reason: connection termination'),
  );
  assert.equal(check.all(check.status(503), check.bodyStartsWith('upstream connect error')).evaluate(o).ok, true);
  assert.equal(check.atLeastOne(check.status(200)).evaluate(o).ok, false);
});

test('https: the served certificate from curl, verified against the lab CA', { skip }, async () => {
  const o = await tls(`https://${SITE_HOST}/`, { cacert: '/certs/lab-ca.crt' });
  const r = o.responses[0]!;
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello over tls\n');
  assert.equal(r.remotePort, 443);
  const issued = new X509Certificate(store.get('site').certPem);
  assert.deepEqual(r.certificate, {
    subject: 'CN=site.lab.test, O=site org',
    issuer: 'O=casebook lab, CN=lab root CA',
    sans: ['site.lab.test'],
    validFrom: new Date(issued.validFrom).toISOString(),
    validTo: new Date(issued.validTo).toISOString(),
    serialNumber: issued.serialNumber,
    fingerprint256: issued.fingerprint256,
  });
  assert.equal(check.all(check.ok(), check.certSubject(/^CN=site\.lab\.test/), check.certIssuer(/lab root CA/)).evaluate(o).ok, true);
});

test('https with the wrong CA: curl exit 60, no response', { skip }, async () => {
  const o = await tls(`https://${SITE_HOST}/`, { cacert: '/certs/other-ca.crt' });
  const r = o.responses[0]!;
  assert.equal(r.status, 0);
  assert.equal(r.curlExit, 60);
  assert.equal(r.curlExitMeaning, 'peer certificate cannot be authenticated with known CA certificates');
  assert.equal(r.curlError, 'curl: (60) SSL certificate problem: unable to get local issuer certificate');
  assert.equal(check.curlExit(60).evaluate(o).ok, true);
  assert.match(check.ok().evaluate(o).message, /^expected a 2xx response without transport error, got status 0; status 0; curl exit 60/);
});

test('certificate name mismatch: exit 60, and the certificate that was served', { skip }, async () => {
  const o = await tls('https://other.lab.test/', { cacert: '/certs/lab-ca.crt' });
  const r = o.responses[0]!;
  assert.equal(r.curlExit, 60);
  assert.equal(r.curlError, "curl: (60) SSL: no alternative certificate subject name matches target host name 'other.lab.test'");
  assert.equal(r.certificate?.subject, 'CN=site.lab.test, O=site org');
  assert.equal(check.all(check.curlExit(60), check.certSubject(/site\.lab\.test/)).evaluate(o).ok, true);

  const insecure = await tls('https://other.lab.test/', { insecure: true });
  assert.equal(insecure.responses[0]!.status, 200);
  assert.equal(insecure.responses[0]!.certificate?.sans[0], 'site.lab.test');
});

test('mutual TLS on nginx without a client certificate: the handshake passes, nginx answers 400', { skip }, async () => {
  const o = await tls(`https://${SITE_HOST}:${PORTS.mutualNginx}/`, { cacert: '/certs/lab-ca.crt' });
  assert.equal(o.responses[0]!.status, 400);
  assert.match(o.responses[0]!.body, /No required SSL certificate was sent/);
});

test('TLS to a plain-text port, a closed port and a silent host: curl exits 35, 7 and 28', { skip }, async () => {
  const plain = await tls(`https://${SITE_HOST}:${PORTS.http}/`, { cacert: '/certs/lab-ca.crt' });
  assert.equal(plain.responses[0]!.curlExit, 35);
  assert.equal(plain.responses[0]!.curlExitMeaning, 'TLS handshake failed');
  assert.match(plain.responses[0]!.curlError!, /wrong version number/);

  const refused = await observe({ kind: 'http', from: 'client', url: `http://${web}:${PORTS.nothing}/` }, ctx());
  assert.equal(refused.kind, 'http');
  const rr = refused.kind === 'http' ? refused.responses[0]! : undefined;
  assert.equal(rr?.curlExit, 7);
  assert.equal(rr?.status, 0);
  assert.match(rr!.curlError!, /^curl: \(7\) Failed to connect to .* port 3308 after \d+ ms: Couldn't connect to server$/);

  const started = Date.now();
  const silent = await http({ url: `http://${hole}/`, timeoutMs: 2000 });
  assert.equal(silent.responses[0]!.curlExit, 28);
  assert.match(silent.responses[0]!.curlError!, /^curl: \(28\) (Connection|Failed to connect).* (timed out|Timeout was reached)/);
  assert.ok(Date.now() - started >= 1900, 'the deadline was waited for');
  assert.equal(check.curlExit([28, 7]).evaluate(silent).ok, true);
});

test("from a container shaped like istio-proxy (read-only root, uid 1337, Istio's emptyDirs): the probe still runs", { skip }, async () => {
  // Istio's injection template gives istio-proxy readOnlyRootFilesystem: true and no /tmp; the
  // script falls back to the emptyDirs mounted for Envoy (kubelet makes them world-writable).
  await lab.start('sidecar', {
    runArgs: ['--read-only', '--user', '1337:1337', '--tmpfs', '/etc/istio/proxy:mode=0777', '--tmpfs', '/var/lib/istio/data:mode=0777'],
  });
  const asSidecar = { transport: lab.transport({ 'client/istio-proxy': 'sidecar' }), namespaceOf: () => 'lab' };
  const o = await observeHttp({ kind: 'http', from: 'client', container: 'istio-proxy', url: `http://${web}/ok`, repeat: 2 }, asSidecar);
  assert.deepEqual(
    o.responses.map((r) => [r.status, r.body]),
    [
      [200, 'hello from nginx\n'],
      [200, 'hello from nginx\n'],
    ],
  );
  assert.equal((await lab.sh('sidecar', 'ls -A /etc/istio/proxy')).trim(), '', 'the temp dir is removed afterwards');
});
