/**
 * The phase checks judged against what the write-up printed (EXTERNAL_TCP_UNREACHABLE in scenarios/write-ups.ts):
 * its listener tables before and after each fix, and its telnet sessions. A check that rejects the
 * write-up's own broken output, or accepts it as fixed, is a wrong signature.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type AccessLogEntry, type EnvoyObservation, type ListenerRow, type TcpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const row = (address: string, port: number, match: string, destination: string): ListenerRow => ({ address, port, match, destination });
const listeners = (...rows: ListenerRow[]): EnvoyObservation => ({ kind: 'envoy', what: 'listeners', listeners: rows });
const tcp = (o: Partial<TcpObservation>): TcpObservation => ({
  kind: 'tcp',
  tool: 'telnet',
  outcome: 'connected',
  closedByPeer: false,
  bytesReceived: 0,
  firstBytesHex: '',
  raw: { exitCode: 0, stderr: '' },
  ...o,
});

// `istioctl pc listener mysql-client… --port 3306`, as printed in the write-up.
const seedBroken = listeners(
  row('0.0.0.0', 3306, 'ALL', 'Cluster: outbound|3306||mysql.demo'),
  row('10.68.228.107', 3306, 'ALL', 'Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local'),
);
const seedAfterSidecar = listeners(
  row('10.68.228.107', 3306, 'ALL', 'Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local'),
  row('10.68.66.97', 3306, 'ALL', 'Cluster: outbound|3306||mysql-client.demo1.svc.cluster.local'),
);
// The write-up's DNS fix used host mysql.demo122; this scenario keeps mysql.demo.
const afterDnsFix = listeners(
  row('10.68.228.107', 3306, 'ALL', 'Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local'),
  row('240.0.221.130', 3306, 'ALL', 'Cluster: outbound|3306||mysql.demo'),
);

// "Connected to 10.10.13.110 / Connection closed by foreign host" versus "J\n8.0.26…caching_sha2_password":
// the \n after the length byte is protocol version 10.
const closedAtOnce = tcp({ outcome: 'closed-by-peer', closedByPeer: true, raw: { exitCode: 1, stderr: '' } });
const greets = tcp({
  bytesReceived: 78,
  firstBytesHex: '4a0000000a382e302e3236',
  greeting: { protocolVersion: 10, serverVersion: '8.0.26', authPlugin: 'caching_sha2_password' },
});

const { judge, check, isPhaseSpecific } = signature(scenario);

test("broken: the write-up's listener row and telnet session are the signature", () => {
  assert.equal(judge('broken', 'listeners', seedBroken).ok, true, judge('broken', 'listeners', seedBroken).message);
  assert.equal(judge('broken', 'external', closedAtOnce).ok, true);
  assert.equal(judge('broken', 'external', greets).ok, false);
  assert.equal(judge('broken', 'inCluster', greets).ok, true);
});

test('broken: the access-log line of the swallowed connection (Istio default format, flag UH)', () => {
  const raw =
    '[2026-08-01T10:00:00.000Z] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" outbound|3306||mysql.demo - 172.18.0.5:3306 10.244.0.12:40112 - -';
  const entry: AccessLogEntry = { raw, responseCode: 0, responseFlags: ['UH'], upstreamCluster: 'outbound|3306||mysql.demo' };
  const log: EnvoyObservation = { kind: 'envoy', what: 'access-log', entries: [entry] };
  assert.equal(judge('broken', 'clientLog', log).ok, true);
  assert.equal(judge('broken', 'clientLog', { ...log, entries: [{ ...entry, responseFlags: [] }] }).ok, false);
});

test('each fix rejects the broken listener table and accepts the fixed one', () => {
  for (const phase of ['fixed-sidecar-scope', 'fixed-other-port', 'fixed-dns-capture']) {
    assert.equal(judge(phase, 'listeners', seedBroken).ok, false, phase);
    assert.equal(judge(phase, 'external', closedAtOnce).ok, false, phase);
    assert.equal(judge(phase, 'external', greets).ok, true, phase);
  }
  assert.equal(judge('fixed-sidecar-scope', 'listeners', seedAfterSidecar).ok, true);
  assert.equal(judge('fixed-dns-capture', 'dnsCaptureListeners', afterDnsFix).ok, true);
  assert.equal(judge('fixed-dns-capture', 'dnsCaptureListeners', seedBroken).ok, false);
});

test('control-resolution-none: the same listener row, but the greeting passes', () => {
  assert.equal(judge('control-resolution-none', 'listeners', seedBroken).ok, true);
  assert.equal(judge('control-resolution-none', 'external', greets).ok, true);
  assert.equal(judge('control-resolution-none', 'external', closedAtOnce).ok, false);
});

// What a client without a Sidecar has on port 53 on kind: kube-dns's TCP port (ClusterIP 10.96.0.10).
const withKubeDns = listeners(row('10.96.0.10', 53, 'ALL', 'Cluster: outbound|53||kube-dns.kube-system.svc.cluster.local'));
const moved = listeners(row('0.0.0.0', 3307, 'ALL', 'Cluster: outbound|3307||mysql.demo'));

test("fixed-sidecar-scope: the Sidecar's own trace (no kube-dns listener) holds only with the Sidecar", () => {
  assert.equal(judge('fixed-sidecar-scope', 'listeners53', listeners()).ok, true);
  assert.equal(judge('fixed-sidecar-scope', 'listeners53', withKubeDns).ok, false, 'the state before the Sidecar arrives');
  // The write-up's broken table has no mysql-server-less variant: without the server's row the fix is not the seed's.
  assert.equal(judge('fixed-sidecar-scope', 'listeners', listeners()).ok, false, "mysql-server's Service row must stay");
});

test('fixed-other-port: the 3307 row is required, so the state with no entry at all does not pass', () => {
  assert.equal(judge('fixed-other-port', 'listeners3307', moved).ok, true);
  assert.equal(judge('fixed-other-port', 'listeners3307', listeners()).ok, false, 'no entry pushed yet');
  assert.equal(judge('fixed-other-port', 'listeners', seedAfterSidecar).ok, true);
});

test('every phase names a phase-specific check, and it rejects the base state (no entry, no Sidecar)', () => {
  const base = listeners(row('10.68.228.107', 3306, 'ALL', 'Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local'));
  const specific = {
    broken: 'listeners',
    'control-resolution-none': 'listeners',
    'fixed-sidecar-scope': 'listeners53',
    'fixed-other-port': 'listeners3307',
    'fixed-dns-capture': 'dnsCaptureListeners',
  } as const;
  for (const [phase, probe] of Object.entries(specific)) {
    const c = check(phase, probe);
    assert.equal(isPhaseSpecific(phase, probe), true, `${phase}.${probe} is marked phase-specific`);
    const baseline = probe === 'listeners53' ? withKubeDns : base;
    assert.equal(c.evaluate(baseline).ok, false, `${phase}.${probe} must not hold on the base state`);
  }
});
