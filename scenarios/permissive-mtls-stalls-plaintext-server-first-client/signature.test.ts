/**
 * The phase checks against what each side of the mechanism produces: the plaintext client held
 * open in silence by the server's TLS inspector, the greeting once nothing inspects 3306 (or the
 * client sends a ClientHello first). Each phase must reject the other phases' observations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type TcpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const tcp = (o: Partial<TcpObservation>): TcpObservation => ({
  kind: 'tcp',
  tool: 'nc',
  outcome: 'connected',
  closedByPeer: false,
  bytesReceived: 0,
  firstBytesHex: '',
  raw: { exitCode: 143, stderr: 'Connection to mysql-server.ledger.svc.cluster.local 3306 port [tcp/mysql] succeeded!' },
  ...o,
});
const stalled = tcp({});
const greeted = tcp({
  bytesReceived: 78,
  firstBytesHex: '4a0000000a382e342e38',
  greeting: { protocolVersion: 10, serverVersion: '8.4.8', authPlugin: 'caching_sha2_password' },
});
// What STRICT would give the plaintext client if the sidecar answered with an error: not this incident.
const reset = tcp({ outcome: 'closed-by-peer', closedByPeer: true, raw: { exitCode: 0, stderr: 'succeeded!' } });

const { holds } = signature(scenario);

test('broken: the plaintext client is connected and silent while the meshed one is greeted', () => {
  assert.equal(holds('broken', 'plaintextDb', stalled), true);
  assert.equal(holds('broken', 'meshedDb', greeted), true);
  assert.equal(holds('broken', 'plaintextDb', greeted), false);
  assert.equal(holds('broken', 'plaintextDb', reset), false, 'a close is a different failure (no inspector wait)');
  assert.equal(holds('broken', 'meshedDb', stalled), false, 'if the meshed client stalled too, PERMISSIVE would not be the cause');
});

test('the fix and the control: the plaintext client is greeted, and the stall is rejected', () => {
  for (const phase of ['fixed-exclude-inbound-port', 'control-port-mtls-disable']) {
    assert.equal(holds(phase, 'plaintextDb', greeted), true, phase);
    assert.equal(holds(phase, 'plaintextDb', stalled), false, phase);
  }
  assert.equal(holds('control-port-mtls-disable', 'meshedDb', greeted), true);
  assert.equal(holds('control-port-mtls-disable', 'meshedDb', stalled), false);
  // The meshed client must keep working after the exclusion (the plain-TCP DestinationRule).
  assert.equal(holds('fixed-exclude-inbound-port', 'meshedDb', greeted), true);
  assert.equal(holds('fixed-exclude-inbound-port', 'meshedDb', reset), false);
});
