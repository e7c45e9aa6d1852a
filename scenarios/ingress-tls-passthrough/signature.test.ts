/**
 * The phase checks judged against the write-up's passthrough output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts):
 * subject O=some organization,CN=nginx.example.com from nginx itself, "Welcome to nginx!"; and a
 * connection closed before TLS when no TLS route matches the SNI.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const base = { kind: 'ingress', url: 'https://nginx.example.com/', connectedTo: '127.0.0.1:8443' } as const;
const welcome: IngressObservation = {
  ...base,
  status: 200,
  body: '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>',
  certificate: {
    subject: 'O=some organization, CN=nginx.example.com',
    issuer: 'CN=example.com, O=example Inc.',
    sans: ['nginx.example.com'],
    validFrom: '',
    validTo: '',
  },
};
const closed: IngressObservation = {
  ...base,
  error: {
    kind: 'reset-before-tls',
    code: 'ECONNRESET',
    message: 'Client network socket disconnected before secure TLS connection was established',
  },
};

const sig = signature(scenario);
const holds = (phase: string, o: IngressObservation) => sig.holds(phase, 'welcome', o);

test("fixed: nginx's own certificate and page; broken: closed before TLS", () => {
  assert.equal(holds('fixed', welcome), true);
  assert.equal(holds('fixed', closed), false);
  assert.equal(holds('broken', closed), true);
  assert.equal(holds('broken', welcome), false);
});

test("fixed rejects a certificate that is not nginx's (a terminating gateway's, say)", () => {
  const gatewayCert = { ...welcome, certificate: { ...welcome.certificate!, subject: 'CN=httpbin.example.com' } };
  assert.equal(holds('fixed', gatewayCert), false);
});

// The states a phase must not pass on: nothing routed yet (Envoy's 404), no listener (a reset).
const { answer, notRouted, reset: resetAt } = ingress;
const markedIn = sig.isPhaseSpecific;

test("broken: the broken http route must answer on port 80 (nginx's 400, or 503 while it waits), not the gateway's 404", () => {
  const c = sig.check('broken', 'plainWelcome');
  assert.ok(markedIn('broken', 'plainWelcome'));
  assert.equal(c.evaluate(answer('http://nginx.example.com/', 400, { body: 'The plain HTTP request was sent to HTTPS port' })).ok, true);
  assert.equal(c.evaluate(answer('http://nginx.example.com/', 503)).ok, true);
  assert.equal(c.evaluate(notRouted('http://nginx.example.com/')).ok, false, 'no route: the VirtualService did not arrive');
  assert.equal(c.evaluate(resetAt('http://nginx.example.com/')).ok, false);
  assert.ok(markedIn('fixed', 'welcome'));
  assert.equal(holds('fixed', resetAt('https://nginx.example.com/')), false, "broken's state");
});
