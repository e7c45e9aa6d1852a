/**
 * Symptom: curl → httpbin answers 503 "upstream connect error or disconnect/reset before headers"
 *          as soon as a DestinationRule with a circuit breaker is applied; the circuit breaker's
 *          own counter (upstream_rq_pending_overflow) stays at 0.
 * Cause:   the host-level rule has no `tls` block. It replaces the mesh-wide `*.local`
 *          ISTIO_MUTUAL rule for httpbin (rules are not merged), so with auto mTLS off the client
 *          sidecar sends plaintext, and the STRICT server sidecar closes the connection.
 * Fix:     repeat `tls.mode: ISTIO_MUTUAL` in the host-level rule. The circuit breaker then works
 *          as the tutorial meant: concurrent calls overflow (503, flag UO).
 * Source:  seeds/004_f2649ead9e152c48.txt
 */
import { check, defineScenario, probe } from '../../harness/index.ts';

const ENVOY_RESET_BODY = 'upstream connect error or disconnect/reset before headers';

// After the first failure the outlier detector ejects httpbin's only endpoint (Istio sets the
// panic threshold to 0 when outlierDetection is present), so later calls answer "no healthy
// upstream" (UH) until baseEjectionTime passes: either body is this bug.
const plaintextRejected = check.all(
  check.status(503),
  check.any(check.bodyStartsWith(ENVOY_RESET_BODY), check.bodyStartsWith('no healthy upstream')),
);

export default defineScenario({
  id: 'destinationrule-without-tls-overrides-mesh-mtls',
  title: 'A DestinationRule without tls overrides mesh-wide mTLS (503, not the circuit breaker)',
  source: 'seeds/004_f2649ead9e152c48.txt',
  symptom: 'After applying the circuit-breaking DestinationRule from Istio\'s tutorial, every curl http://httpbin:8000/get '
    + 'returns 503 "upstream connect error or disconnect/reset before headers" (client log flag UC), although a single '
    + 'request cannot trip a breaker; upstream_rq_pending_overflow is 0 and the server sidecar logs no request.',
  cause: 'Mesh-wide mTLS is a STRICT PeerAuthentication plus a `*.local` ISTIO_MUTUAL DestinationRule in istio-system. '
    + 'The httpbin rule is more specific, so it replaces the mesh rule for httpbin completely; it has no tls block, so '
    + 'with auto mTLS off the client sidecar speaks plaintext to a server that accepts only mTLS.',
  fix: 'Add trafficPolicy.tls.mode: ISTIO_MUTUAL to the httpbin rule (or leave auto mTLS on, the default since Istio 1.6, '
    + 'which picks mTLS for a rule without tls).',
  mesh: {
    profile: 'casebook-demo',
    // The 2018 mesh had no auto mTLS; with it on (default since 1.6) the bug is hidden.
    meshConfig: { enableAutoMtls: false },
    apply: ['mesh/strict-mtls.yaml', 'mesh/istio-mutual-destination-rule.yaml'],
  },
  // Mesh config and mesh-wide policy: nothing else may run beside it.
  isolation: 'mesh',
  workloads: [
    { name: 'curl', namespace: 'foo' },
    { name: 'httpbin', namespace: 'foo' },
  ],
  probes: {
    call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get', timeoutMs: 10_000 }),
    // maxConnections 1 + http1MaxPendingRequests 1: with 5 requests in flight, some must overflow.
    burst: probe.http({ from: 'curl', url: 'http://httpbin:8000/get', repeat: 20, concurrency: 5, timeoutMs: 10_000 }),
    clientStats: probe.envoy({ of: 'curl', what: 'stats', filter: 'httpbin' }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log', filter: 'httpbin:8000' }),
  },
  phases: {
    'control-mesh-mtls': {
      summary: 'Mesh-wide mTLS alone, no httpbin rule (the write-up\'s starting point): the call works.',
      apply: [],
      expect: { call: check.ok() },
      evidence: ['access-log:curl', 'access-log:httpbin'],
    },
    broken: {
      summary: 'The circuit-breaker rule without tls: every call is a 503 that the circuit breaker did not cause.',
      apply: ['broken/destination-rule.yaml'],
      expect: {
        call: plaintextRejected,
        clientStats: check.statEquals('upstream_rq_pending_overflow', 0),
        clientLog: check.responseFlags(['UC', 'UR', 'UH']),
      },
      evidence: ['access-log:curl', 'access-log:httpbin', 'cluster-tls:curl'],
      predicted: 'First call: body "… reset reason: connection termination" with flag UC (the seed\'s "503 UC"); UR is '
        + 'accepted for the FIN/RST race, UH for calls while the endpoint is ejected. The server sidecar is expected to '
        + 'log "- - -" 0 NR filter_chain_not_found instead of 2018\'s SSL error (istio-facts.md S4, [INF]).',
    },
    fixed: {
      summary: 'The same rule with tls.mode ISTIO_MUTUAL: single calls work, and concurrent calls now trip the circuit breaker.',
      apply: ['fixed/destination-rule.yaml'],
      expect: {
        call: check.ok(),
        burst: check.all(check.status([200, 503]), check.atLeastOne(check.status(200)), check.atLeastOne(check.status(503))),
        // Read after the burst: the counter is cumulative for the client's sidecar.
        clientStats: check.statAbove('upstream_rq_pending_overflow', 0),
        clientLog: check.responseFlags('UO'),
      },
      evidence: ['access-log:curl', 'cluster-tls:curl'],
    },
    'control-auto-mtls': {
      summary: 'The broken rule, unchanged, with auto mTLS on (Istio\'s default since 1.6): the client picks mTLS by itself and the call works.',
      apply: ['broken/destination-rule.yaml'],
      mesh: { meshConfig: { enableAutoMtls: true } },
      expect: { call: check.ok() },
      evidence: ['access-log:curl', 'cluster-tls:curl'],
    },
  },
});
