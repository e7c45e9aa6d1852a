import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signature, type CurlResponse, type EnvoyObservation, type HttpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

/**
 * The scenario's expectations judged on observations shaped like the ones Istio's and Envoy's
 * source predict for a plaintext call to a STRICT server (503 UC "connection termination" first,
 * then UH while the endpoint is ejected; with the fix, UO and pending overflow under load): the
 * checks must accept the bug's signatures and reject the others.
 */
const response = (status: number, body: string): CurlResponse => ({ status, headers: {}, body, curlExit: 0, curlExitMeaning: 'ok' });
const http = (...responses: CurlResponse[]): HttpObservation => ({ kind: 'http', command: ['curl'], responses });
const stats = (overflow: number): EnvoyObservation => ({
  kind: 'envoy',
  what: 'stats',
  stats: { 'cluster.outbound|8000||httpbin.foo.svc.cluster.local.upstream_rq_pending_overflow': overflow },
});
const log = (...flags: string[]): EnvoyObservation => ({
  kind: 'envoy',
  what: 'access-log',
  entries: flags.map((f) => ({ raw: `"GET /get HTTP/1.1" 503 ${f}`, responseCode: 503, responseFlags: f.split(',') })),
});
const { judge, check, isPhaseSpecific } = signature(scenario);

const RESET = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

describe(`${scenario.id}: the checks`, () => {
  test('broken accepts the reset body and the ejection body, and rejects a 200 or a breaker overflow', () => {
    assert.equal(judge('broken', 'call', http(response(503, RESET))).ok, true);
    assert.equal(judge('broken', 'call', http(response(503, 'no healthy upstream'))).ok, true);
    assert.equal(judge('broken', 'call', http(response(200, '{"args": {}}'))).ok, false);
    assert.equal(judge('broken', 'clientStats', stats(0)).ok, true);
    assert.equal(judge('broken', 'clientStats', stats(3)).ok, false, 'an overflow would mean the breaker, not the bug');
    assert.equal(judge('broken', 'clientLog', log('UC')).ok, true);
    assert.equal(judge('broken', 'clientLog', log('UR')).ok, true, 'the FIN/RST race');
    assert.equal(judge('broken', 'clientLog', log('UH')).ok, false, 'an ejection alone does not show the plaintext reset');
    assert.equal(judge('broken', 'clientLog', log('UO')).ok, false);
  });

  test('fixed needs 200 alone, and a mix of 200 and 503 under load with the overflow counted', () => {
    assert.equal(judge('fixed', 'call', http(response(200, '{}'))).ok, true);
    assert.equal(judge('fixed', 'call', http(response(503, RESET))).ok, false);
    const mix = http(
      response(200, '{}'),
      response(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow'),
      response(200, '{}'),
    );
    assert.equal(judge('fixed', 'burst', mix).ok, true);
    assert.equal(judge('fixed', 'burst', http(response(200, '{}'), response(200, '{}'))).ok, false, 'no 503: the breaker did not trip');
    assert.equal(judge('fixed', 'burst', http(response(200, '{}'), response(504, 'timeout'))).ok, false, 'only 200 and 503 are expected');
    assert.equal(judge('fixed', 'clientStats', stats(4)).ok, true);
    assert.equal(judge('fixed', 'clientStats', stats(0)).ok, false);
    assert.equal(judge('fixed', 'clientLog', log('-', 'UO')).ok, true);
  });

  test('the controls need a working call', () => {
    for (const phase of ['control-mesh-mtls', 'control-auto-mtls']) {
      assert.equal(judge(phase, 'call', http(response(200, '{}'))).ok, true, phase);
      assert.equal(judge(phase, 'call', http(response(503, RESET))).ok, false, phase);
    }
  });

  test('the control phase differs from broken only in mesh config', () => {
    assert.deepEqual(scenario.phases['control-auto-mtls']!.apply, scenario.phases.broken!.apply);
    assert.deepEqual(scenario.phases['control-auto-mtls']!.mesh, { meshConfig: { enableAutoMtls: true } });
    assert.deepEqual(scenario.mesh.meshConfig, { enableAutoMtls: false });
  });

  test("each phase's own trace on the client's httpbin cluster holds on that phase's config only", () => {
    // What the cluster dump gives per config (cluster-tls evidence): the mesh rule alone (explicit
    // ISTIO_MUTUAL, Istio's default breaker), each DestinationRule with max_connections 1.
    const cl = (transport: string, maxConnections: number): EnvoyObservation => ({
      kind: 'envoy',
      what: 'clusters',
      clusters: [{ cluster: 'outbound|8000||httpbin.foo.svc.cluster.local', transport, maxConnections }],
    });
    const states = {
      'control-mesh-mtls': cl('tls', 4294967295),
      broken: cl('plain text (no transport socket)', 1),
      fixed: cl('tls', 1),
      'control-auto-mtls': cl('tls (transport_socket_matches)', 1),
    };
    for (const [phase, own] of Object.entries(states)) {
      const c = check(phase, 'clientCluster');
      assert.equal(isPhaseSpecific(phase, 'clientCluster'), true, `${phase} marks clientCluster phase-specific`);
      assert.equal(c.evaluate(own).ok, true, `${phase} on its own config: ${c.evaluate(own).message}`);
      for (const [other, state] of Object.entries(states)) {
        if (other !== phase) assert.equal(c.evaluate(state).ok, false, `${phase} must not hold on ${other}'s config`);
      }
    }
  });
});
