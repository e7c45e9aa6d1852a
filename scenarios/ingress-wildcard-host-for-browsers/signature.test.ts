/**
 * The phase checks judged against what the write-up describes (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts): a
 * browser cannot set Host, so a host-specific gateway gives it 404 while curl -H Host works; with
 * hosts "*" the browser shows httpbin's header echo (go-httpbin's JSON: values are lists).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type BrowserObservation, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const page = (status: number, text: string): BrowserObservation => ({
  kind: 'browser',
  url: 'http://127.0.0.1:8080/headers',
  status,
  title: '',
  text,
});
const curlWithHost: IngressObservation = {
  kind: 'ingress',
  url: 'http://httpbin.example.com/headers',
  connectedTo: '127.0.0.1:8080',
  status: 200,
  body: '{}',
};
const echo = page(200, '{"headers":{"Accept":["text/html"],"Host":["127.0.0.1:8080"],"User-Agent":["Mozilla/5.0 HeadlessChrome/140.0"]}}');

const { holds, isPhaseSpecific: markedIn } = signature(scenario);

test('broken: 404 in the browser, 200 for curl with the Host header', () => {
  assert.equal(holds('broken', 'page', page(404, '')), true);
  assert.equal(holds('broken', 'withHost', curlWithHost), true);
  assert.equal(holds('broken', 'page', echo), false);
});

test('fixed: the browser shows the header echo', () => {
  assert.equal(holds('fixed', 'page', echo), true);
  assert.equal(holds('fixed', 'page', page(200, 'Welcome to nginx!')), false);
  assert.equal(holds('fixed', 'page', page(404, '')), false);
});

// Shared by the phase-specific tests below: an answer from the gateway, and the states a phase
// must not pass on (nothing routed yet: Envoy's 404; no listener: a reset). This reset keeps
// connectedTo 127.0.0.1:8443 for its http URL, where ingress.reset would say 8080.
const { answer, notRouted } = ingress;
const resetAt = (url: string): IngressObservation => ({
  kind: 'ingress',
  url,
  connectedTo: '127.0.0.1:8443',
  error: { kind: 'reset-before-tls', code: 'ECONNRESET', message: 'socket hang up' },
});

test('broken: the curl with Host must answer, so a route table with nothing in it is no reproduction', () => {
  assert.ok(markedIn('broken', 'withHost'));
  assert.equal(holds('broken', 'withHost', answer('http://httpbin.example.com/headers', 200)), true);
  assert.equal(holds('broken', 'withHost', notRouted('http://httpbin.example.com/headers')), false);
  assert.equal(holds('broken', 'withHost', resetAt('http://httpbin.example.com/headers')), false, 'no listener at all');
  assert.ok(markedIn('fixed', 'page'));
  assert.equal(
    holds('fixed', 'page', { kind: 'browser', url: 'http://127.0.0.1:8080/headers', status: 404, title: '', text: '' }),
    false,
    "broken's state",
  );
});
