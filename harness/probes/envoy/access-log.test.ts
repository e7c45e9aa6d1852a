import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../../checks/check.ts';
import { parseAccessLog, parseAccessLogLine } from './access-log.ts';

// Lines in Istio's default text format (operators in the order of EnvoyTextLogFormat), as a
// client sidecar prints them, with pilot-agent's own log lines between them.
const LOG = [
  '2026-11-20T10:00:00.000000Z\tinfo\tEnvoy proxy is ready',
  '[2026-11-20T10:00:05.123Z] "GET /env/version HTTP/1.1" 503 URX,UF upstream_reset_before_response_started{remote_connection_failure|TLS_error:_Connection_reset_by_peer} - "TLS_error:_Connection_reset_by_peer" 0 190 42 - "-" "curl/8.11.1" "2b3e4f9a-1c1d-4a8e-9a57-0f8c1f0a1b2c" "flaskapp" "10.244.0.17:80" outbound|80||flaskapp.demo.svc.cluster.local - 10.96.12.34:80 10.244.0.12:51234 - default',
  '[2026-11-20T10:00:06.001Z] "- - -" 0 UH - - "-" 0 0 0 - "-" "-" "-" "-" "-" outbound|3306||mysql.demo - 172.18.0.5:3306 10.244.0.12:40112 - -',
  '[2026-11-20T10:00:07.500Z] "GET /get HTTP/1.1" 200 - via_upstream - "-" 0 512 3 2 "-" "curl/8.11.1" "7d1c0f52-2b6a-4f0e-8f55-3d7f5f0e9a10" "httpbin:8000" "10.244.0.20:8080" outbound|8000||httpbin.demo1.svc.cluster.local 10.244.0.12:39876 10.96.80.1:8000 10.244.0.12:39870 - default',
  '{"response_code":503,"response_flags":"UC","response_code_details":"upstream_reset_before_response_started{connection_termination}","authority":"httpbin:8000","upstream_cluster":"outbound|8000||httpbin.demo1.svc.cluster.local","method":"GET","path":"/get","protocol":"HTTP/1.1"}',
  'not an access-log line',
].join('\n');

test('text lines: code, flags, details, cluster, authority, addresses', () => {
  const [http, tcp, ok, json] = parseAccessLog(LOG);
  assert.equal(parseAccessLog(LOG).length, 4);
  assert.equal(http!.method, 'GET');
  assert.equal(http!.path, '/env/version');
  assert.equal(http!.protocol, 'HTTP/1.1');
  assert.equal(http!.responseCode, 503);
  assert.deepEqual(http!.responseFlags, ['URX', 'UF']);
  assert.equal(
    http!.responseCodeDetails,
    'upstream_reset_before_response_started{remote_connection_failure|TLS_error:_Connection_reset_by_peer}',
  );
  assert.equal(http!.upstreamTransportFailureReason, 'TLS_error:_Connection_reset_by_peer');
  assert.equal(http!.authority, 'flaskapp');
  assert.equal(http!.upstreamHost, '10.244.0.17:80');
  assert.equal(http!.upstreamCluster, 'outbound|80||flaskapp.demo.svc.cluster.local');
  assert.equal(http!.downstreamLocalAddress, '10.96.12.34:80');
  assert.equal(http!.routeName, 'default');
  assert.equal(http!.durationMs, 42);

  assert.equal(tcp!.method, undefined);
  assert.equal(tcp!.responseCode, 0);
  assert.deepEqual(tcp!.responseFlags, ['UH']);
  assert.equal(tcp!.upstreamCluster, 'outbound|3306||mysql.demo');
  assert.equal(tcp!.downstreamLocalAddress, '172.18.0.5:3306');
  assert.equal(tcp!.responseCodeDetails, undefined);

  assert.deepEqual(ok!.responseFlags, []);
  assert.equal(ok!.responseCodeDetails, 'via_upstream');

  assert.equal(json!.responseCode, 503);
  assert.deepEqual(json!.responseFlags, ['UC']);
  assert.equal(json!.authority, 'httpbin:8000');
});

test('filter keeps the lines of one authority or cluster; checks read the flags', () => {
  const mysql = parseAccessLog(LOG, 'mysql.demo');
  assert.equal(mysql.length, 1);
  const observation = { kind: 'envoy' as const, what: 'access-log' as const, entries: parseAccessLog(LOG, 'flaskapp') };
  assert.equal(check.responseFlags('URX,UF').evaluate(observation).ok, true);
  const r = check.responseFlags('UC').evaluate(observation);
  assert.equal(r.ok, false);
  assert.match(r.message, /^expected response flags UC, got flags URX,UF; "\[2026-11-20T10:00:05\.123Z\] \\"GET \/env\/version/);
  assert.equal(check.accessLog(/upstream_reset_before_response_started/).evaluate(observation).ok, true);
  assert.equal(parseAccessLogLine('[not a date] "GET / HTTP/1.1" 200'), undefined);
});
