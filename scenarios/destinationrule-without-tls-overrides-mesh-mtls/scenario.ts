import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { DEBUGGING_503_MTLS } from '../write-ups.ts';

const ENVOY_RESET_BODY = 'upstream connect error or disconnect/reset before headers';
const HTTPBIN = 'httpbin.foo.svc.cluster.local';

// After the first failure the outlier detector ejects httpbin's only endpoint (Istio sets the
// panic threshold to 0 when outlierDetection is present), so later calls answer "no healthy
// upstream" (UH) until baseEjectionTime passes: either body is this bug.
const plaintextRejected = check.all(
  check.status(503),
  check.any(check.bodyStartsWith(ENVOY_RESET_BODY), check.bodyStartsWith('no healthy upstream')),
);

// Config level: the TLS of the client's cluster for httpbin (Istio's cluster builder) and what the
// STRICT server sidecar's chains make of it (Istio's simulation, with the client's TLS inferred
// from that cluster). The breaker's overflow is counted by a running Envoy only.
const CLUSTER = `outbound|8000||${HTTPBIN}`;
const clientTls = (tls: 'istio-mtls' | 'auto-mtls' | 'none') =>
  check.lands({ at: 'outbound', cluster: CLUSTER, clusterTls: tls, endpoints: 1 });
const mtlsAccepted = check.all(
  check.lands({ at: 'inbound', filterChain: '0.0.0.0_8080', requiresClientCertificate: true }),
  check.passes(),
);

export default defineScenario({
  id: 'destinationrule-without-tls-overrides-mesh-mtls',
  title: 'A DestinationRule without tls overrides mesh-wide mTLS (503, not the circuit breaker)',
  source: DEBUGGING_503_MTLS,
  symptom:
    "After applying the circuit-breaking DestinationRule from Istio's tutorial, every curl http://httpbin:8000/get " +
    'returns 503 "upstream connect error or disconnect/reset before headers" (client log flag UC), although a single ' +
    'request cannot trip a breaker; upstream_rq_pending_overflow is 0 and the server sidecar logs no request.',
  cause:
    'Mesh-wide mTLS is a STRICT PeerAuthentication plus a `*.local` ISTIO_MUTUAL DestinationRule in istio-system. ' +
    'The httpbin rule is more specific, so it replaces the mesh rule for httpbin completely; it has no tls block, so ' +
    'with auto mTLS off the client sidecar speaks plaintext to a server that accepts only mTLS.',
  fix:
    'Add trafficPolicy.tls.mode: ISTIO_MUTUAL to the httpbin rule (or leave auto mTLS on, the default since Istio 1.6, ' +
    'which picks mTLS for a rule without tls).',
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
    // maxConnections 1 + http1MaxPendingRequests 1 + maxRequestsPerConnection 1: all 20 requests are
    // started at once, so while one opens its mTLS connection and another waits in the single
    // pending slot, the rest overflow. Rounds of 5 could serialise on a fast node (curl start-up
    // skew is of the order of a local connect), and settle needs three overflowing rounds in a row.
    // /delay/1 holds each request for a second at httpbin, so with one connection and one pending
    // request allowed, 20 requests started within that second overflow whatever the start skew.
    burst: probe.http({ from: 'curl', url: 'http://httpbin:8000/delay/1', repeat: 20, concurrency: 20, timeoutMs: 10_000 }),
    clientStats: probe.envoy({ of: 'curl', what: 'stats', filter: 'httpbin' }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log', filter: 'httpbin:8000' }),
    // The client's cluster for httpbin as Envoy holds it: TLS or plain text, and the breaker's
    // max_connections (1 only while the tutorial's rule is pushed; Istio's default is 2^32-1).
    clientCluster: probe.envoy({ of: 'curl', what: 'clusters', filter: `outbound|8000||${HTTPBIN}` }),
  },
  phases: {
    'control-mesh-mtls': {
      summary: "Mesh-wide mTLS alone, no httpbin rule (the write-up's starting point): the call works.",
      apply: [],
      expect: {
        clientCluster: phaseSpecific(
          check.all(check.cluster({ name: HTTPBIN, transport: 'tls' }), check.not(check.cluster({ name: HTTPBIN, maxConnections: 1 }))),
          "with auto mTLS off, only the mesh-wide *.local ISTIO_MUTUAL rule gives httpbin's cluster a TLS socket, and no httpbin rule's breaker is there",
        ),
        call: check.ok(),
      },
      evidence: ['access-log:curl', 'access-log:httpbin', 'cluster-tls:curl'],
      config: { expect: { call: check.all(clientTls('istio-mtls'), mtlsAccepted) }, dataPlaneOnly: 'the 200' },
      predicted:
        'An explicit ISTIO_MUTUAL rule puts the TLS socket in transport_socket, not transport_socket_matches ' +
        "(pilot/pkg/networking/core/cluster_tls.go at 1.30.3; inferred from Istio's source, not yet seen on a cluster).",
    },
    broken: {
      summary: 'The circuit-breaker rule without tls: every call is a 503 that the circuit breaker did not cause.',
      apply: ['broken/destination-rule.yaml'],
      expect: {
        call: plaintextRejected,
        clientStats: check.statEquals('upstream_rq_pending_overflow', 0),
        // The first failure is always a UC (or UR) line: a UH line alone only says the endpoint was ejected.
        clientLog: check.responseFlags(['UC', 'UR']),
        clientCluster: phaseSpecific(
          check.cluster({ name: HTTPBIN, transport: 'plain', maxConnections: 1 }),
          "only the tutorial's rule sets max_connections 1, and only a rule without tls (auto mTLS off) leaves the cluster plain",
        ),
      },
      evidence: ['access-log:curl', 'access-log:httpbin', 'cluster-tls:curl'],
      config: {
        // With auto mTLS off, the rule without tls leaves the cluster plain; STRICT has no plain-text chain.
        expect: { call: check.all(clientTls('none'), check.stopsWith('no filter chains matched', 'inbound')) },
        dataPlaneOnly: "the 503 body, the UC flag and the breaker's overflow counter at 0",
      },
      predicted:
        'First call: body "… reset reason: connection termination" with flag UC (the seed\'s "503 UC"); UR is ' +
        'accepted for the FIN/RST race, UH for calls while the endpoint is ejected. The server sidecar is expected to ' +
        'log "- - -" 0 NR filter_chain_not_found instead of 2018\'s SSL error: Istio filters a listener access log on NR ' +
        "(pilot/pkg/networking/core/accesslog.go at 1.30.3). Inferred from Istio's and Envoy's source, not yet seen on a cluster.",
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
        clientCluster: phaseSpecific(
          check.cluster({ name: HTTPBIN, transport: 'tls', maxConnections: 1 }),
          "max_connections 1 with a stated TLS socket exists only with the fixed rule (broken's is plain; the mesh rule has no breaker)",
        ),
      },
      evidence: ['access-log:curl', 'cluster-tls:curl'],
      config: {
        expect: {
          call: check.all(clientTls('istio-mtls'), mtlsAccepted),
          // The rule's connection pool reaches the client's cluster: one connection, one pending request.
          burst: check.all(
            clientTls('istio-mtls'),
            mtlsAccepted,
            check.lands({ at: 'outbound', circuitBreaker: { maxConnections: 1, maxPendingRequests: 1 } }),
          ),
        },
        dataPlaneOnly: 'the circuit breaker tripping under the burst (503 UO, upstream_rq_pending_overflow above 0)',
      },
      predicted:
        "The rule's explicit ISTIO_MUTUAL puts the TLS socket in transport_socket " +
        "(pilot/pkg/networking/core/cluster_tls.go at 1.30.3; inferred from Istio's source, not yet seen on a cluster).",
    },
    'control-auto-mtls': {
      summary:
        "The broken rule, unchanged, with auto mTLS on (Istio's default since 1.6): the client picks mTLS by itself and the call works.",
      apply: ['broken/destination-rule.yaml'],
      mesh: { meshConfig: { enableAutoMtls: true } },
      expect: {
        // The call alone also works before the broken rule reaches the client (the mesh rule still
        // gives mTLS): the rule's breaker with an auto-chosen TLS socket is this phase's own trace.
        clientCluster: phaseSpecific(
          check.cluster({ name: HTTPBIN, transport: 'tls (transport_socket_matches)', maxConnections: 1 }),
          'only the broken rule sets max_connections 1, and only auto mTLS turns its missing tls into transport_socket_matches',
        ),
        call: check.ok(),
      },
      config: { expect: { call: check.all(clientTls('auto-mtls'), mtlsAccepted) }, dataPlaneOnly: 'the 200' },
      predicted:
        'Auto mTLS puts the istio mTLS socket in transport_socket_matches (tlsMode-istio and tlsMode-disabled) ' +
        "(pilot/pkg/networking/core/cluster_tls.go at 1.30.3; inferred from Istio's source, not yet seen on a cluster).",
      evidence: ['access-log:curl', 'cluster-tls:curl'],
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      call: {
        check: check.all(check.lands({ at: 'inbound', filterChain: '0.0.0.0_8080' }), check.passes()),
        because: "curl's call to httpbin:8000 must be accepted by httpbin's sidecar instead of finding no filter chain for it",
      },
    },
    controls: {
      call: {
        check: check.all(
          check.any(clientTls('istio-mtls'), clientTls('auto-mtls')),
          check.lands({ at: 'inbound', requiresClientCertificate: true }),
        ),
        because:
          'mesh-wide mTLS stays: the client must send mTLS and httpbin must still require it; relaxing httpbin to PERMISSIVE or DISABLE makes plain text pass, it does not fix the rule',
      },
    },
    keeps: [
      {
        kind: 'DestinationRule',
        namespace: 'foo',
        because: 'the httpbin rule carries the circuit breaker the team wanted: correct it, do not delete it',
      },
    ],
    hints: [
      "A single request cannot trip a breaker, and the breaker's overflow counter is 0. What does the client sidecar send to httpbin: mTLS or plain text?",
      "Mesh-wide mTLS here is a STRICT policy plus a *.local ISTIO_MUTUAL DestinationRule in istio-system. Which DestinationRule applies to httpbin once the tutorial's rule exists, and what does it say about TLS?",
      'The more specific httpbin rule replaces the mesh rule for httpbin entirely, and it has no tls block (auto mTLS is off). Add trafficPolicy.tls.mode: ISTIO_MUTUAL to it; keep the breaker and STRICT.',
    ],
    judges:
      "Istio objects you write (DestinationRule, PeerAuthentication, …), by the TLS of curl's cluster for httpbin and what httpbin's STRICT sidecar makes of the call",
    cannotJudge:
      'the circuit breaker itself (connectionPool and outlierDetection tripping under load: data plane; keeps only checks the rule is still there), ' +
      "mesh config (enableAutoMtls is the mesh's, not a manifest), and changes on the client side",
  },
});
