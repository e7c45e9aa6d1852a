/**
 * The phase checks judged against what the write-up printed (HTTPS_AFTER_ISTIO_1_11 in scenarios/write-ups.ts):
 * the hijacking listener row among the SNI rows of the MESH_EXTERNAL entries, curl's name
 * mismatch, traefik's 404 with -k, and the certificate `*.example.com`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  signature,
  type CertSummary,
  type CurlResponse,
  type EnvoyObservation,
  type HttpObservation,
  type ListenerRow,
} from '../../harness/index.ts';
import scenario from './scenario.ts';

const row = (address: string, match: string, destination: string): ListenerRow => ({ address, port: 443, match, destination });
const listeners = (...rows: ListenerRow[]): EnvoyObservation => ({ kind: 'envoy', what: 'listeners', listeners: rows });
const cert = (subject: string): CertSummary => ({
  subject,
  issuer: 'O=example Inc., CN=example.com',
  sans: [],
  validFrom: '',
  validTo: '',
});
const http = (r: Partial<CurlResponse>): HttpObservation => ({
  kind: 'http',
  command: ['curl'],
  responses: [{ status: 200, headers: {}, body: '', curlExit: 0, curlExitMeaning: 'ok', ...r }],
});

// `istioctl proxy-config all` in the write-up: the ALL row hidden among SNI rows.
const seedRows = [
  row('0.0.0.0', 'SNI: music.baidu.com', 'Cluster: outbound|443||music.baidu.com'),
  row('0.0.0.0', 'ALL', 'Cluster: outbound|443||traefik.cutom-name'),
  row('0.0.0.0', 'SNI: dict.baidu.com', 'Cluster: outbound|443||dict.baidu.com'),
];
const seedBroken = listeners(...seedRows);
// With protocol TLS the entry's own row is SNI-matched and the default chain passes through.
const tlsEntry = listeners(
  row('0.0.0.0', 'ALL', 'PassthroughCluster'),
  row('0.0.0.0', 'SNI: traefik.cutom-name', 'Cluster: outbound|443||traefik.cutom-name'),
);
const withVip = listeners(
  row('0.0.0.0', 'ALL', 'PassthroughCluster'),
  row('10.96.14.7', 'ALL', 'Cluster: outbound|443||traefik.cutom-name'),
);

// curl https://baidu.com: "SSL: certificate subject name '*.example.com' does not match target host name";
// curl -k: "404 page not found".
const unauthenticated = http({
  status: 0,
  curlExit: 60,
  curlExitMeaning: 'peer certificate cannot be authenticated',
  curlError: 'curl: (60) SSL certificate problem: self-signed certificate',
  certificate: cert('O=traefik, CN=*.example.com'),
});
// The real site B without the run's CA in the client's trust store (curl-response.test.ts records the text).
const realUntrusted = http({
  status: 0,
  curlExit: 60,
  curlExitMeaning: 'peer certificate cannot be authenticated',
  curlError: 'curl: (60) SSL certificate problem: unable to get local issuer certificate',
});
const traefik404 = http({ status: 404, body: '404 page not found\n', certificate: cert('O=traefik, CN=*.example.com') });
const siteA = http({ body: 'site A: the real server for site-a.test', certificate: cert('CN=site-a.test') });
const siteB = http({ body: 'site B: the real server for site-b.test', certificate: cert('CN=site-b.test') });

const { holds, check, isPhaseSpecific } = signature(scenario);

test("broken: the write-up's listener row, curl exit 60 and traefik 404 are the signature", () => {
  assert.equal(holds('broken', 'listeners', seedBroken), true);
  assert.equal(holds('broken', 'siteBPlain', unauthenticated), true);
  assert.equal(holds('broken', 'siteB', traefik404), true);
  assert.equal(holds('broken', 'siteA', traefik404), true);
  assert.equal(holds('broken', 'siteB', siteB), false);
  assert.equal(holds('broken', 'listeners', tlsEntry), false);
});

test('control-tls-protocol: an SNI row for traefik is not a hijack', () => {
  assert.equal(holds('control-tls-protocol', 'listeners', tlsEntry), true);
  assert.equal(holds('control-tls-protocol', 'listeners', seedBroken), false);
  assert.equal(holds('control-tls-protocol', 'siteB', siteB), true);
  assert.equal(holds('control-tls-protocol', 'siteB', traefik404), false);
});

test('workaround: site A gets its own SNI row while the ALL row stays', () => {
  const withSiteA = listeners(...seedRows, row('0.0.0.0', 'SNI: site-a.test', 'Cluster: outbound|443||site-a.test'));
  assert.equal(holds('workaround-external-serviceentry', 'listeners', withSiteA), true);
  assert.equal(holds('workaround-external-serviceentry', 'listeners', seedBroken), false);
  assert.equal(holds('workaround-external-serviceentry', 'siteB', traefik404), true);
  assert.equal(holds('workaround-external-serviceentry', 'siteA', siteA), true);
});

test("fixed: the entry's row moves to its VIP", () => {
  assert.equal(holds('fixed', 'listeners', withVip), true);
  assert.equal(holds('fixed', 'listeners', seedBroken), false);
  assert.equal(holds('fixed', 'siteB', siteB), true);
  assert.equal(holds('fixed', 'siteB', traefik404), false);
  // The right body is not enough: the certificate must be the site's own.
  assert.equal(
    holds('fixed', 'siteB', { ...siteB, responses: [{ ...siteB.responses[0]!, certificate: cert('O=traefik, CN=*.example.com') }] }),
    false,
  );
});

test('siteBPlain tells the impostor from the real site, which also fails with exit 60', () => {
  assert.equal(holds('broken', 'siteBPlain', unauthenticated), true);
  assert.equal(holds('broken', 'siteBPlain', realUntrusted), false, 'exit 60 alone is not a hijack');
  assert.equal(holds('fixed', 'siteBPlain', realUntrusted), true);
  assert.equal(holds('fixed', 'siteBPlain', unauthenticated), false);
});

test("each phase's phase-specific listener check rejects the other phases' tables", () => {
  const tables = {
    broken: seedBroken,
    'control-tls-protocol': tlsEntry,
    fixed: withVip,
    'workaround-external-serviceentry': listeners(...seedRows, row('0.0.0.0', 'SNI: site-a.test', 'Cluster: outbound|443||site-a.test')),
  };
  const base = listeners(row('0.0.0.0', 'ALL', 'PassthroughCluster'));
  for (const [phase, own] of Object.entries(tables)) {
    const c = check(phase, 'listeners');
    assert.equal(isPhaseSpecific(phase, 'listeners'), true, phase);
    assert.equal(c.evaluate(own).ok, true, `${phase} on its own table`);
    assert.equal(c.evaluate(base).ok, false, `${phase} on the state with no entry`);
    for (const [other, table] of Object.entries(tables)) {
      if (other !== phase && !(phase === 'broken' && other === 'workaround-external-serviceentry')) {
        assert.equal(c.evaluate(table).ok, false, `${phase} on ${other}'s table`);
      }
    }
  }
});
