/**
 * The phase checks judged against what the write-up printed (MTLS_503_ANALYSIS in scenarios/write-ups.ts):
 * the meshed curl's Envoy error, the istio-proxy curl that got "v1" before the fix and
 * "curl: (56) Recv failure: Connection reset by peer" after it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type CurlResponse, type HttpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const http = (...responses: Partial<CurlResponse>[]): HttpObservation => ({
  kind: 'http',
  command: ['curl'],
  responses: responses.map((r) => ({ status: 200, headers: {}, body: '', curlExit: 0, curlExitMeaning: 'ok', ...r })),
});

// The 2020 wording, and the modern one with retries and the TLS reason (Envoy retries connect failures under Istio's default retry policy).
const seed503 = http({ status: 503, body: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure' });
const modern503 = http({
  status: 503,
  body:
    'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: ' +
    'remote connection failure, transport failure reason: TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end',
});
const plainV1 = http({ body: 'v1\n' });
const reset = http({
  status: 0,
  curlExit: 56,
  curlExitMeaning: 'failure in receiving network data',
  curlError: 'curl: (56) Recv failure: Connection reset by peer',
});
const alternating = http(...Array.from({ length: 10 }, (_, i) => ({ body: i % 2 ? 'v2\n' : 'v1\n' })));
const onlyV1 = http(...Array.from({ length: 10 }, () => ({ body: 'v1\n' })));

const { holds, isPhaseSpecific } = signature(scenario);

test("broken: Envoy's 503 in both wordings, and the bypassing curl that still gets v1", () => {
  assert.equal(holds('broken', 'call', seed503), true);
  assert.equal(holds('broken', 'call', modern503), true);
  assert.equal(holds('broken', 'fromSidecar', plainV1), true);
  assert.equal(holds('broken', 'fromSidecar', reset), false);
  assert.equal(holds('broken', 'call', alternating), false);
});

test('fixed and the control: v1 and v2 alternate, plaintext from istio-proxy is reset', () => {
  for (const phase of ['fixed', 'control-missing-container-port']) {
    assert.equal(holds(phase, 'call', alternating), true, phase);
    assert.equal(holds(phase, 'call', onlyV1), false, `${phase}: both versions must answer`);
    assert.equal(holds(phase, 'fromSidecar', reset), true, phase);
    assert.equal(holds(phase, 'fromSidecar', plainV1), false, phase);
  }
});

test('each phase marks the check its own config alone satisfies; a reset racing the write (exit 55) is a refusal too', () => {
  assert.equal(isPhaseSpecific('broken', 'call'), true);
  assert.equal(isPhaseSpecific('fixed', 'fromSidecar'), true);
  assert.equal(isPhaseSpecific('control-missing-container-port', 'fromSidecar'), true);
  const raced = http({
    status: 0,
    curlExit: 55,
    curlExitMeaning: 'failed sending network data',
    curlError: 'curl: (55) Send failure: Connection reset by peer',
  });
  assert.equal(holds('fixed', 'fromSidecar', raced), true);
});
