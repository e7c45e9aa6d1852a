/**
 * The phase checks judged against the write-up's curl -v output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts,
 * single-host SIMPLE TLS): 418 with subject O=httpbin organization,CN=httpbin.example.com, issuer
 * CN=example.com,O=example Inc.; and a handshake cut off when the gateway has no credential.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const url = 'https://httpbin.example.com/status/418';
const teapot: IngressObservation = {
  kind: 'ingress',
  url,
  connectedTo: '127.0.0.1:8443',
  status: 418,
  headers: { server: 'istio-envoy' },
  body: '',
  certificate: {
    subject: 'O=httpbin organization, CN=httpbin.example.com',
    issuer: 'CN=example.com, O=example Inc.',
    sans: ['httpbin.example.com'],
    validFrom: '',
    validTo: '',
  },
};
const cutOff: IngressObservation = {
  kind: 'ingress',
  url,
  connectedTo: '127.0.0.1:8443',
  error: {
    kind: 'reset-before-tls',
    code: 'ECONNRESET',
    message: 'Client network socket disconnected before secure TLS connection was established',
  },
};

const sig = signature(scenario);
const holds = (phase: string, o: IngressObservation) => sig.holds(phase, 'teapot', o);

test("fixed holds for the write-up's 418 and its certificate, broken for a cut-off handshake", () => {
  assert.equal(holds('fixed', teapot), true);
  assert.equal(holds('fixed', cutOff), false);
  assert.equal(holds('broken', cutOff), true);
  assert.equal(holds('broken', teapot), false);
});

test("fixed rejects a 418 served with another host's certificate", () => {
  const wrong = { ...teapot, certificate: { ...teapot.certificate!, subject: 'CN=helloworld.example.com' } };
  assert.equal(holds('fixed', wrong), false);
});

// The states a phase must not pass on: nothing routed yet (Envoy's 404), no listener (a reset).
const { answer, notRouted, reset: resetAt } = ingress;
const markedIn = sig.isPhaseSpecific;

test('broken: the port-80 control must answer 418, so an absent Gateway is no reproduction', () => {
  const c = sig.check('broken', 'plainTeapot');
  assert.ok(markedIn('broken', 'plainTeapot'));
  assert.equal(c.evaluate(answer('http://httpbin.example.com/status/418', 418)).ok, true);
  assert.equal(c.evaluate(notRouted('http://httpbin.example.com/status/418')).ok, false);
  assert.equal(c.evaluate(resetAt('http://httpbin.example.com/status/418')).ok, false);
  assert.ok(markedIn('fixed', 'teapot'));
  assert.equal(holds('fixed', resetAt('https://httpbin.example.com/status/418')), false, "broken's state");
});
