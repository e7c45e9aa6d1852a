import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CurlResponse, HttpObservation, TcpObservation } from '../model/observation.ts';
import {
  checkReachable,
  reachabilityCheck,
  reachabilityProbe,
  type ReachabilityObservation,
  type ReachabilityTarget,
} from './reachability.ts';

const site: ReachabilityTarget = {
  kind: 'https-site',
  name: 'site-b',
  ip: '172.18.0.5',
  port: 443,
  hostname: 'site-b.test',
  body: 'site B\n',
  caPath: '/etc/casebook/ca/external-ca.pem',
};
const db: ReachabilityTarget = { kind: 'mysql', name: 'db', ip: '172.18.0.6', port: 3306 };

const cert = (cn: string) => ({
  subject: `CN=${cn}`,
  issuer: 'CN=casebook external sites CA,O=istio-casebook',
  sans: [cn],
  validFrom: '',
  validTo: '',
});
const http = (r: Partial<CurlResponse>): HttpObservation => ({
  kind: 'http',
  command: [],
  responses: [{ status: 200, headers: {}, body: 'site B\n', curlExit: 0, curlExitMeaning: 'ok', certificate: cert('site-b.test'), ...r }],
});
const tcp = (o: Partial<TcpObservation>): TcpObservation => ({
  kind: 'tcp',
  tool: 'nc',
  outcome: 'connected',
  closedByPeer: false,
  bytesReceived: 0,
  firstBytesHex: '',
  raw: { exitCode: 124, stderr: '' },
  ...o,
});

test('https probe: curl from the client, pinned to the IP with --resolve, verified against the CA, no -k', () => {
  assert.deepEqual(reachabilityProbe(site), {
    kind: 'http',
    from: 'reachability-client',
    url: 'https://site-b.test:443/',
    resolve: ['site-b.test:443:172.18.0.5'],
    cacert: '/etc/casebook/ca/external-ca.pem',
    timeoutMs: 10_000,
  });
});

test("https check holds only for exit 0, status 200, the site's own certificate and its exact body", () => {
  const judge = reachabilityCheck(site);
  assert.equal(judge.evaluate(http({}) as never).ok, true);
  const hijacked = judge.evaluate(http({ curlExit: 60, status: 0, body: '', certificate: cert('*.example.com') }) as never);
  assert.equal(hijacked.ok, false);
  assert.match(hijacked.message, /\*\.example\.com/);
  assert.equal(judge.evaluate(http({ body: '404 page not found\n' }) as never).ok, false);
  assert.equal(judge.evaluate(http({ body: 'site B\nand more' }) as never).ok, false, 'exact body, not a prefix');
});

test('mysql probe reads the greeting by IP; only a protocol 10 greeting holds', () => {
  assert.deepEqual(reachabilityProbe(db), {
    kind: 'tcp',
    from: 'reachability-client',
    host: '172.18.0.6',
    port: 3306,
    readTimeoutMs: 3_000,
  });
  const judge = reachabilityCheck(db);
  assert.equal(judge.evaluate(tcp({ bytesReceived: 104, greeting: { protocolVersion: 10, serverVersion: '8.4.8' } }) as never).ok, true);
  assert.equal(judge.evaluate(tcp({ outcome: 'closed-by-peer', closedByPeer: true }) as never).ok, false);
});

test('checkReachable retries until the check holds and says how many attempts it took', async () => {
  const replies: ReachabilityObservation[] = [
    tcp({ outcome: 'refused' }),
    tcp({ bytesReceived: 104, greeting: { protocolVersion: 10, serverVersion: '8.4.8' } }),
  ];
  const r = await checkReachable(async () => replies.shift()!, db, { intervalMs: 1 });
  assert.equal(r.ok, true);
  assert.equal(r.attempts, 2);
  const never = await checkReachable(async () => tcp({ outcome: 'refused', raw: { exitCode: 1, stderr: 'Connection refused' } }), db, {
    attempts: 3,
    intervalMs: 1,
  });
  assert.equal(never.ok, false);
  assert.equal(never.attempts, 3);
  assert.match(never.message, /^mysql db at 172\.18\.0\.6:3306: expected a MySQL server greeting \(protocol 10\), got refused/);
});
