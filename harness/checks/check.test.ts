import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from './check.ts';
import type {
  CurlResponse,
  EnvoyObservation,
  HttpObservation,
  IptablesObservation,
  TcpObservation,
  TlsObservation,
} from '../model/observation.ts';

const response = (r: Partial<CurlResponse>): CurlResponse => ({
  status: 200,
  headers: {},
  body: '',
  curlExit: 0,
  curlExitMeaning: 'ok',
  ...r,
});
const http = (...responses: Partial<CurlResponse>[]): HttpObservation => ({
  kind: 'http',
  command: ['curl'],
  responses: responses.map(response),
});
const tcp = (t: Partial<TcpObservation>): TcpObservation => ({
  kind: 'tcp',
  tool: 'nc',
  outcome: 'connected',
  closedByPeer: false,
  bytesReceived: 0,
  firstBytesHex: '',
  raw: { exitCode: 0, stderr: '' },
  ...t,
});

test('status and body checks say expected and got, with the body', () => {
  const broken = http({
    status: 503,
    body: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  });
  assert.equal(check.status(503).evaluate(broken).ok, true);
  const r = check.status(200).evaluate(broken);
  assert.equal(r.ok, false);
  assert.match(r.message, /^expected status 200, got status 503; .*body "upstream connect error/);
  assert.equal(check.bodyStartsWith('upstream connect error').evaluate(broken).ok, true);
  assert.equal(check.ok().evaluate(broken).ok, false);
  assert.equal(check.status([502, 503]).evaluate(broken).ok, true);
});

test('ordinary checks hold for every response; atLeastOne and seenAll look across responses', () => {
  const mixed = http({ body: 'v1' }, { body: 'v2' }, { status: 503, body: 'no healthy upstream' });
  const r = check.status(200).evaluate(mixed);
  assert.equal(r.ok, false);
  assert.match(r.message, /response 3 of 3/);
  assert.equal(check.atLeastOne(check.status(503)).evaluate(mixed).ok, true);
  assert.equal(check.atLeastOne(check.status(418)).evaluate(mixed).ok, false);
  assert.equal(check.seenAll([/v1/, /v2/]).evaluate(mixed).ok, true);
  const missing = check.seenAll([/v1/, /v3/]).evaluate(mixed);
  assert.equal(missing.ok, false);
  assert.match(missing.message, /no match for \/v3\//);
});

test('curlExit, header and certificate checks', () => {
  const reset = http({
    status: 0,
    curlExit: 56,
    curlExitMeaning: 'failure in receiving network data',
    curlError: 'curl: (56) Recv failure: Connection reset by peer',
  });
  assert.equal(check.curlExit(56).evaluate(reset).ok, true);
  const r = check.curlExit(0).evaluate(reset);
  assert.match(r.message, /expected curl exit 0, got curl exit 56 \(failure in receiving network data\)/);
  const withCert = http({
    headers: { Server: 'nginx' },
    certificate: { subject: 'CN=*.example.com', issuer: 'CN=lab CA', sans: ['*.example.com'], validFrom: '', validTo: '' },
  });
  assert.equal(check.header('server', 'nginx').evaluate(withCert).ok, true);
  assert.equal(check.header('server', /envoy/).evaluate(withCert).ok, false);
  assert.equal(check.certSubject(/example\.com/).evaluate(withCert).ok, true);
  assert.equal(check.certIssuer(/other/).evaluate(withCert).ok, false);
  assert.match(check.certSubject(/x/).evaluate(http({})).message, /no certificate/);
});

test('tcp outcomes: greeting, closed without greeting, refused, timeout', () => {
  const closed = tcp({ outcome: 'closed-by-peer', closedByPeer: true });
  assert.equal(check.closedWithoutGreeting().evaluate(closed).ok, true);
  assert.equal(check.connected().evaluate(closed).ok, true);
  assert.equal(check.greeting('mysql').evaluate(closed).ok, false);
  const greeted = tcp({ bytesReceived: 90, greeting: { protocolVersion: 10, serverVersion: '5.5.5-10.11.11-MariaDB-0+deb12u1' } });
  assert.equal(check.greeting('mysql').evaluate(greeted).ok, true);
  assert.equal(check.closedWithoutGreeting().evaluate(greeted).ok, false);
  assert.equal(check.refused().evaluate(tcp({ outcome: 'refused' })).ok, true);
  assert.equal(check.timedOut().evaluate(tcp({ outcome: 'refused' })).ok, false);
});

test('silent(): connected and open at the deadline with no byte, which timedOut() (a connect that never completed) is not', () => {
  const stalled = tcp({ outcome: 'connected', closedByPeer: false, bytesReceived: 0, firstBytesHex: '' });
  assert.equal(check.silent().evaluate(stalled).ok, true);
  assert.equal(check.connected().evaluate(stalled).ok, true);
  assert.match(check.timedOut().evaluate(stalled).message, /^expected a connect timeout, got connected, 0 byte\(s\) received$/);
  assert.equal(check.silent().evaluate(tcp({ outcome: 'timeout', bytesReceived: 0 })).ok, false);
  assert.equal(check.silent().evaluate(tcp({ outcome: 'closed-by-peer', closedByPeer: true, bytesReceived: 0 })).ok, false);
  assert.equal(check.silent().evaluate(tcp({ outcome: 'connected', bytesReceived: 90 })).ok, false);
});

test('a check given a kind it cannot judge says which kinds it reads, with the right article', () => {
  const wrong = tcp({}) as never;
  assert.equal(
    check.responseFlags('UH').evaluate(wrong).message,
    'expected an envoy access-log observation for responseFlags(UH), got a tcp observation',
  );
  assert.equal(
    check.status(200).evaluate(wrong).message,
    'expected a http, ingress or browser observation for status(200), got a tcp observation',
  );
  assert.deepEqual(check.status(200).judges, ['http', 'ingress', 'browser']);
  assert.deepEqual(
    check.all(check.ok(), check.not(check.silent())).parts?.map((p) => p.name),
    ['ok()', 'not(silent())'],
  );
});

test('tls checks', () => {
  const alert: TlsObservation = {
    kind: 'tls',
    handshake: 'ok',
    tlsVersion: 'TLSv1.3',
    alert: 'tlsv13 alert certificate required',
    chain: [],
    raw: { exitCode: 1, stderr: '' },
  };
  assert.equal(check.tlsAlert(/certificate required/).evaluate(alert).ok, true);
  assert.equal(check.handshakeOk().evaluate(alert).ok, false);
  assert.equal(check.tlsVersion('TLSv1.3').evaluate(alert).ok, true);
  assert.equal(check.verified().evaluate({ ...alert, verifyResult: { code: 0, text: 'ok' } }).ok, true);
});

test('envoy checks: stats by suffix, listener rows, response flags', () => {
  const stats: EnvoyObservation = {
    kind: 'envoy',
    what: 'stats',
    stats: { 'cluster.outbound|8000||httpbin.demo.svc.cluster.local.upstream_rq_pending_overflow': 3 },
  };
  assert.equal(check.statAbove('upstream_rq_pending_overflow', 0).evaluate(stats).ok, true);
  assert.equal(check.statEquals('upstream_rq_pending_overflow', 0).evaluate(stats).ok, false);
  const listeners: EnvoyObservation = {
    kind: 'envoy',
    what: 'listeners',
    listeners: [{ address: '0.0.0.0', port: 443, match: 'ALL', destination: 'Cluster: outbound|443||traefik.cutom-name' }],
  };
  assert.equal(check.listener({ address: '0.0.0.0', port: 443, match: 'ALL' }).evaluate(listeners).ok, true);
  assert.equal(check.listener({ port: 443, destination: 'outbound|443||traefik.cutom-name' }).evaluate(listeners).ok, true);
  assert.equal(check.noListener({ port: 443 }).evaluate(listeners).ok, false);
  const log: EnvoyObservation = {
    kind: 'envoy',
    what: 'access-log',
    entries: [
      { raw: '"GET /get HTTP/1.1" 503 URX,UF upstream_reset_before_response_started', responseCode: 503, responseFlags: ['URX', 'UF'] },
    ],
  };
  assert.equal(check.responseFlags('UF').evaluate(log).ok, true);
  assert.equal(check.responseFlags('URX,UF').evaluate(log).ok, true);
  assert.equal(check.responseFlags(['UC', 'UH']).evaluate(log).ok, false);
  assert.equal(check.accessLog(/upstream_reset/).evaluate(log).ok, true);
  assert.match(check.status(200).evaluate(log as never).message, /expected a http, ingress or browser observation/);
});

test('combinators name the part that failed', () => {
  const o = http({ status: 503, body: 'no healthy upstream' });
  const both = check.all(check.status(503), check.bodyStartsWith('upstream connect'));
  const r = both.evaluate(o);
  assert.equal(r.ok, false);
  assert.match(r.message, /1 of 2 failed: bodyStartsWith/);
  assert.equal(check.any(check.status(200), check.status(503)).evaluate(o).ok, true);
  assert.equal(check.not(check.status(200)).evaluate(o).ok, true);
  assert.equal(check.all(check.status(503), check.curlExit(0)).evaluate(o).ok, true);
});

test('combinators accept checks of different observation kinds (typechecked)', () => {
  const o = http({ certificate: { subject: 'CN=a', issuer: 'CN=b', sans: [], validFrom: '', validTo: '' } });
  const combined = check.all(check.ok(), check.certSubject(/CN=a/), check.curlExit(0));
  assert.equal(combined.evaluate(o).ok, true);
  assert.equal(check.any(check.curlExit(35), check.curlExit(56), check.status(200)).evaluate(o).ok, true);
  const tcpBoth = check.all(check.connected(), check.closedWithoutGreeting());
  assert.equal(tcpBoth.evaluate(tcp({ outcome: 'closed-by-peer', closedByPeer: true })).ok, true);
});

test('iptables checks judge every Deployment of a workload: one pod without the rule fails, naming its Deployment', () => {
  const capture = '-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT';
  const pod = (deployment: string, rules: string[]) => ({ deployment, injected: true, nativeSidecar: false, rules });
  const both: IptablesObservation = {
    kind: 'iptables',
    workload: 'flaskapp',
    ...pod('flaskapp-v1', ['-N ISTIO_INBOUND', capture]),
    more: [pod('flaskapp-v2', ['-N ISTIO_INBOUND', capture])],
  };
  const onlyV1: IptablesObservation = { ...both, more: [pod('flaskapp-v2', ['-N ISTIO_INBOUND'])] };
  const rule = check.iptablesRule(/^-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT$/);
  assert.equal(rule.evaluate(both).ok, true);
  const r = rule.evaluate(onlyV1);
  assert.equal(r.ok, false);
  assert.match(r.message, /in flaskapp-v2's pod, got/);
  const none = check.noIptablesRule(/ISTIO_IN_REDIRECT$/);
  assert.equal(none.evaluate(onlyV1).ok, false, "v1's rule is seen");
  assert.equal(none.evaluate({ ...onlyV1, rules: ['-N ISTIO_INBOUND'] }).ok, true);
  // A workload of one Deployment reads as before.
  assert.match(
    rule.evaluate({ kind: 'iptables', workload: 'curl', injected: false, nativeSidecar: false, rules: [] }).message,
    /no sidecar in curl/,
  );
});
