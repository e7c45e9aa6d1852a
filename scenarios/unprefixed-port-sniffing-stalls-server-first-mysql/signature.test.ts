/**
 * The phase checks against the observations the mechanism produces: a connection held open in
 * silence and sniffing filter chains when the port's protocol is unknown, a greeting and one plain
 * TCP chain once it is declared. Broken must reject the fixed observations and the fixes must
 * reject the broken ones, or the signature could hold for the wrong reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type EnvoyObservation, type ListenerRow, type TcpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const tcp = (o: Partial<TcpObservation>): TcpObservation => ({
  kind: 'tcp',
  tool: 'nc',
  outcome: 'connected',
  closedByPeer: false,
  bytesReceived: 0,
  firstBytesHex: '',
  raw: { exitCode: 143, stderr: 'Connection to orders-db.orders.svc.cluster.local 3307 port [tcp/*] succeeded!' },
  ...o,
});
const listeners = (...rows: ListenerRow[]): EnvoyObservation => ({ kind: 'envoy', what: 'listeners', listeners: rows });
const host = 'orders-db.orders.svc.cluster.local';

const stalled = tcp({});
const greeted = tcp({
  bytesReceived: 78,
  firstBytesHex: '4a0000000a382e342e38',
  greeting: { protocolVersion: 10, serverVersion: '8.4.8', authPlugin: 'caching_sha2_password' },
});
const closed = tcp({ outcome: 'closed-by-peer', closedByPeer: true, raw: { exitCode: 0, stderr: 'succeeded!' } });
const neverConnected = tcp({ outcome: 'timeout', raw: { exitCode: 143, stderr: '' } });
const sniffing = (port: number) =>
  listeners(
    { address: '10.96.20.7', port, match: 'App: http/1.1,h2c', destination: `Route: ${host}:${port}` },
    { address: '10.96.20.7', port, match: 'ALL', destination: `Cluster: outbound|${port}||${host}` },
  );
const plain = (port: number) => listeners({ address: '10.96.20.7', port, match: 'ALL', destination: `Cluster: outbound|${port}||${host}` });

const { holds } = signature(scenario);

test('broken: connected and silent, with sniffing chains; not a greeting, a close, or a connect timeout', () => {
  assert.equal(holds('broken', 'db3307', stalled), true);
  assert.equal(holds('broken', 'listeners3307', sniffing(3307)), true);
  for (const o of [greeted, closed, neverConnected]) assert.equal(holds('broken', 'db3307', o), false, o.outcome);
  assert.equal(holds('broken', 'listeners3307', plain(3307)), false);
});

test('both fixes: the greeting and one plain TCP chain; the stall and the sniffing chains are rejected', () => {
  for (const phase of ['fixed', 'fixed-app-protocol']) {
    assert.equal(holds(phase, 'db3307', greeted), true, phase);
    assert.equal(holds(phase, 'listeners3307', plain(3307)), true, phase);
    assert.equal(holds(phase, 'db3307', stalled), false, phase);
    assert.equal(holds(phase, 'listeners3307', sniffing(3307)), false, phase);
  }
});

test('control-well-known-port: the same name on 3306 greets and is plain TCP; a sniffed 3306 would fail it', () => {
  assert.equal(holds('control-well-known-port', 'db3306', greeted), true);
  assert.equal(holds('control-well-known-port', 'listeners3306', plain(3306)), true);
  assert.equal(holds('control-well-known-port', 'db3306', stalled), false);
  assert.equal(holds('control-well-known-port', 'listeners3306', sniffing(3306)), false);
});
