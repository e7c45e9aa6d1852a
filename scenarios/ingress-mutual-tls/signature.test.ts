/**
 * The phase checks judged against the write-up's mutual TLS steps (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts):
 * without a client certificate the handshake is refused (NSS then, "tlsv13 alert certificate
 * required" with OpenSSL now); with client.example.com's certificate, 418.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const base = { kind: 'ingress', url: 'https://httpbin.example.com/status/418', connectedTo: '127.0.0.1:8443' } as const;
const teapot: IngressObservation = {
  ...base,
  status: 418,
  certificate: {
    subject: 'O=httpbin organization, CN=httpbin.example.com',
    issuer: 'CN=example.com, O=example Inc.',
    sans: [],
    validFrom: '',
    validTo: '',
  },
};
const certificateRequired: IngressObservation = {
  ...base,
  error: { kind: 'certificate-required', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'tlsv13 alert certificate required' },
};
const handshakeFailure: IngressObservation = {
  ...base,
  error: { kind: 'handshake-alert', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'sslv3 alert handshake failure' },
};

const { holds, isPhaseSpecific: markedIn, phases } = signature(scenario);

test('SIMPLE control: no client certificate needed', () => {
  assert.equal(holds('control-simple-tls', 'noClientCert', teapot), true);
  assert.equal(holds('control-simple-tls', 'noClientCert', certificateRequired), false);
});

test('MUTUAL: refused without a client certificate (TLS 1.3 or 1.2 wording), 418 with one', () => {
  assert.equal(holds('broken', 'noClientCert', certificateRequired), true);
  assert.equal(holds('broken', 'noClientCert', handshakeFailure), true);
  assert.equal(holds('broken', 'noClientCert', teapot), false);
  for (const phase of ['fixed', 'fixed-separate-cacert-secret']) {
    assert.equal(holds(phase, 'withClientCert', teapot), true, phase);
    assert.equal(holds(phase, 'noClientCert', certificateRequired), true, phase);
    assert.equal(holds(phase, 'noClientCert', teapot), false, `${phase}: MUTUAL must still refuse a client without certificate`);
  }
});

// Shared by the phase-specific tests below: an answer from the gateway, and the states a phase
// must not pass on (nothing routed yet: Envoy's 404; no listener: a reset). This answer keeps
// connectedTo 127.0.0.1:8080 for its https URLs, where ingress.answer would say 8443.
const answer = (url: string, status: number, extra: Partial<IngressObservation> = {}): IngressObservation => ({
  kind: 'ingress',
  url,
  connectedTo: '127.0.0.1:8080',
  status,
  headers: { server: 'istio-envoy' },
  body: '',
  ...extra,
});
const notRouted = (url: string): IngressObservation => answer(url, 404);
const { reset: resetAt } = ingress;

test("every phase's own trace: a 418 verified against this scenario's CA (with the client certificate where MUTUAL)", () => {
  const teapot = answer('https://httpbin.example.com/status/418', 418, {
    certificate: {
      subject: 'CN=httpbin.example.com, O=httpbin organization',
      issuer: 'O=example Inc., CN=example.com',
      sans: [],
      validFrom: '',
      validTo: '',
    },
  });
  const required: IngressObservation = {
    ...resetAt('https://httpbin.example.com/status/418'),
    error: {
      kind: 'certificate-required',
      code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      message: 'tlsv13 alert certificate required',
    },
  };
  for (const [phase, probe] of [
    ['control-simple-tls', 'noClientCert'],
    ['broken', 'withClientCert'],
    ['fixed', 'withClientCert'],
    ['fixed-separate-cacert-secret', 'withClientCert'],
  ] as const) {
    assert.ok(markedIn(phase, probe), phase);
    assert.equal(holds(phase, probe, teapot), true, phase);
    assert.equal(holds(phase, probe, notRouted('https://httpbin.example.com/status/418')), false, `${phase}: no route`);
    assert.equal(holds(phase, probe, required), false, phase);
    assert.equal(holds(phase, probe, resetAt('https://httpbin.example.com/status/418')), false, `${phase}: no listener yet`);
  }
  assert.notDeepEqual(phases['fixed-separate-cacert-secret']!.apply, phases['fixed']!.apply, 'its own Gateway and credential name');
});
