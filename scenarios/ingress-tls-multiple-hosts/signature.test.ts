/**
 * The phase checks judged against the write-up's two-host gateway (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts):
 * "Hello version: v1, instance: helloworld-v1-5dfcf5d5cd-2l44c" with helloworld's certificate,
 * 418 from httpbin with httpbin's; and the broken single server's wrong certificate for helloworld.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type CertSummary, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const cert = (cn: string): CertSummary => ({
  subject: `CN=${cn}`,
  issuer: 'CN=example.com, O=example Inc.',
  sans: [cn],
  validFrom: '',
  validTo: '',
});
const hello: IngressObservation = {
  kind: 'ingress',
  url: 'https://helloworld.example.com/hello',
  connectedTo: '127.0.0.1:8443',
  status: 200,
  body: 'Hello version: v1, instance: helloworld-v1-5dfcf5d5cd-2l44c\n',
  certificate: cert('helloworld.example.com'),
};
const wrongCert: IngressObservation = {
  kind: 'ingress',
  url: hello.url,
  connectedTo: hello.connectedTo,
  certificate: cert('httpbin.example.com'),
  error: {
    kind: 'name-mismatch',
    code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    message: "Host: helloworld.example.com. is not in the cert's altnames",
  },
};
const teapot: IngressObservation = {
  kind: 'ingress',
  url: 'https://httpbin.example.com/status/418',
  connectedTo: hello.connectedTo,
  status: 418,
  certificate: cert('httpbin.example.com'),
};

const sig = signature(scenario);
const { holds } = sig;

test("broken: helloworld gets httpbin's certificate, httpbin still answers", () => {
  assert.equal(holds('broken', 'hello', wrongCert), true);
  assert.equal(holds('broken', 'hello', hello), false);
  assert.equal(holds('broken', 'teapot', teapot), true);
});

test("fixed: SNI picks each host's certificate", () => {
  assert.equal(holds('fixed', 'hello', hello), true);
  assert.equal(holds('fixed', 'hello', { ...hello, certificate: cert('httpbin.example.com') }), false);
  assert.equal(holds('fixed', 'teapot', teapot), true);
});

// The states a phase must not pass on: nothing routed yet (Envoy's 404), no listener (a reset).
const { answer, notRouted, reset: resetAt } = ingress;
const markedIn = sig.isPhaseSpecific;

test("each phase marks its helloworld check; neither holds on the other's answer", () => {
  const mismatch: IngressObservation = {
    ...resetAt('https://helloworld.example.com/hello'),
    error: { kind: 'name-mismatch', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'Hostname/IP does not match certificate' },
  };
  const hello = answer('https://helloworld.example.com/hello', 200, {
    body: 'Hello version: v1, instance: helloworld-v1',
    certificate: { subject: 'CN=helloworld.example.com', issuer: 'O=example Inc., CN=example.com', sans: [], validFrom: '', validTo: '' },
  });
  assert.ok(markedIn('broken', 'hello') && markedIn('fixed', 'hello'));
  assert.equal(holds('broken', 'hello', mismatch), true);
  assert.equal(holds('broken', 'hello', hello), false);
  assert.equal(holds('fixed', 'hello', hello), true);
  assert.equal(holds('fixed', 'hello', mismatch), false);
  assert.equal(holds('fixed', 'hello', notRouted('https://helloworld.example.com/hello')), false, 'no route yet');
  assert.equal(holds('broken', 'hello', resetAt('https://helloworld.example.com/hello')), false, 'no listener yet');
});
