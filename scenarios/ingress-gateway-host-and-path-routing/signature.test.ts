/**
 * The phase checks judged against the write-up's curl -I output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts):
 * /status/200 -> "HTTP/1.1 200 OK, server: istio-envoy"; /headers -> "HTTP/1.1 404 Not Found,
 * server: istio-envoy".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const at = (path: string, status: number, headers: Record<string, string>): IngressObservation => ({
  kind: 'ingress',
  url: `http://httpbin.example.com${path}`,
  connectedTo: '127.0.0.1:8080',
  status,
  headers,
  body: '',
});
const envoy = { server: 'istio-envoy' };

const sig = signature(scenario);
const { holds } = sig;

test("fixed: the write-up's 200 for /status/200 and 404 for /headers, both from istio-envoy", () => {
  assert.equal(holds('fixed', 'status200', at('/status/200', 200, { ...envoy, 'x-envoy-upstream-service-time': '21' })), true);
  assert.equal(holds('fixed', 'headers', at('/headers', 404, envoy)), true);
  assert.equal(holds('fixed', 'status200', at('/status/200', 404, envoy)), false);
});

test('broken: a 404 from the gateway, not from somewhere else', () => {
  assert.equal(holds('broken', 'status200', at('/status/200', 404, envoy)), true);
  assert.equal(holds('broken', 'status200', at('/status/200', 404, { server: 'nginx' })), false);
});

// The states a phase must not pass on: nothing routed yet (Envoy's 404), no listener (a reset).
const { answer, notRouted, reset: resetAt } = ingress;
const markedIn = sig.isPhaseSpecific;

test('broken: the control host must answer, so an empty route table is no reproduction', () => {
  assert.ok(markedIn('broken', 'control'));
  assert.equal(holds('broken', 'control', answer('http://control.example.com/status/200', 200)), true);
  assert.equal(holds('broken', 'control', notRouted('http://control.example.com/status/200')), false);
  assert.equal(holds('broken', 'control', resetAt('http://control.example.com/status/200')), false, 'no listener at all');
  assert.ok(markedIn('fixed', 'status200'));
  assert.equal(holds('fixed', 'status200', notRouted('http://httpbin.example.com/status/200')), false, "broken's state");
});
