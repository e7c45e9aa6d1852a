/**
 * The phase checks against Envoy's own answers: 503 "no healthy upstream" with flag UH on the
 * stable subset's cluster when its labels match no pod, a 200 through that cluster once they do,
 * and a 200 through the v1 cluster in the control. Each phase rejects the others' observations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type AccessLogEntry, type EnvoyObservation, type HttpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const http = (status: number, body: string): HttpObservation => ({
  kind: 'http',
  command: ['curl'],
  responses: [{ status, headers: {}, body, curlExit: 0, curlExitMeaning: 'ok' }],
});
const noHealthy = http(503, 'no healthy upstream');
const answered = http(200, '{\n  "args": {},\n  "url": "http://httpbin.catalog:8000/get"\n}\n');
const line = (code: number, flags: string, subset: string): AccessLogEntry => ({
  raw: `[2026-11-28T10:00:00.000Z] "GET /get HTTP/1.1" ${code} ${flags} ${code === 503 ? 'no_healthy_upstream' : 'via_upstream'} - "-" 0 ${code === 503 ? 19 : 250} 0 - "-" "curl/8.14.1" "c0ffee" "httpbin.catalog:8000" "-" outbound|8000|${subset}|httpbin.catalog.svc.cluster.local - 10.96.40.2:8000 10.244.0.20:40500 - -`,
  responseCode: code,
  responseFlags: flags === '-' ? [] : flags.split(','),
  upstreamCluster: `outbound|8000|${subset}|httpbin.catalog.svc.cluster.local`,
});
const log = (e: AccessLogEntry): EnvoyObservation => ({ kind: 'envoy', what: 'access-log', entries: [e] });

const { holds } = signature(scenario);

test('broken: 503 "no healthy upstream" and UH on the stable cluster; a 200, or UH on another cluster, is rejected', () => {
  assert.equal(holds('broken', 'call', noHealthy), true);
  assert.equal(holds('broken', 'clientLog', log(line(503, 'UH', 'stable'))), true);
  assert.equal(holds('broken', 'call', answered), false);
  assert.equal(
    holds('broken', 'call', http(503, 'upstream connect error or disconnect/reset before headers')),
    false,
    'a 503 for another reason',
  );
  assert.equal(holds('broken', 'clientLog', log(line(503, 'UH', 'v1'))), false);
  assert.equal(holds('broken', 'clientLog', log(line(503, 'NR', 'stable'))), false, 'NR would mean no route, not an empty subset');
});

test('fixed goes through the stable cluster, the control through v1; neither accepts the broken answer', () => {
  assert.equal(holds('fixed', 'call', answered), true);
  assert.equal(holds('fixed', 'clientLog', log(line(200, '-', 'stable'))), true);
  assert.equal(holds('fixed', 'clientLog', log(line(200, '-', 'v1'))), false);
  assert.equal(holds('control-matching-subset', 'call', answered), true);
  assert.equal(holds('control-matching-subset', 'clientLog', log(line(200, '-', 'v1'))), true);
  assert.equal(holds('control-matching-subset', 'clientLog', log(line(200, '-', 'stable'))), false);
  for (const phase of ['fixed', 'control-matching-subset']) {
    assert.equal(holds(phase, 'call', noHealthy), false, phase);
    assert.equal(holds(phase, 'clientLog', log(line(503, 'UH', 'stable'))), false, phase);
  }
});
