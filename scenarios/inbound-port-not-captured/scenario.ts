import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { MTLS_503_ANALYSIS } from '../write-ups.ts';

const ENVOY_503_BODY = 'upstream connect error or disconnect/reset before headers';

// The sidecar container runs as uid 1337, which istio-iptables never redirects: its curl reaches
// the server pod directly, in plaintext, exactly like the write-up's proof.
const bothVersionsAnswer = check.all(check.status(200), check.seenAll([/^v1\b/, /^v2\b/]));
// 56: reset while reading; 52: closed before any reply; 55: the reset raced the request write.
const plaintextRefused = check.all(check.status(0), check.any(check.curlExit(56), check.curlExit(52), check.curlExit(55)));
// Before the phase's STRICT policy reaches the server sidecar (PERMISSIVE, the state a revert
// leaves), the plaintext call from istio-proxy succeeds: the refusal is this phase's own trace.
const strictReached = phaseSpecific(
  plaintextRefused,
  "plaintext to a captured port is refused only once this phase's STRICT PeerAuthentication reached the server sidecar",
);

// Config level: the client sidecar's cluster for flaskapp offers mTLS (auto mTLS, tlsMode=istio
// pods) in every phase; what changes is whether istio-init redirects port 80 into the server
// sidecar (its iptables rules, and the inbound hop we infer from istio-init's -b argument).
const FLASK_CLUSTER = 'outbound|80||flaskapp.kangxzh.svc.cluster.local';
const CAPTURE_ALL_INBOUND = /^-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT$/;
const clientOffersMtls = check.lands({ at: 'outbound', cluster: FLASK_CLUSTER, clusterTls: 'auto-mtls', endpoints: 2 });
const serverSidecarSees = check.lands({ at: 'inbound', listener: 'virtualInbound' });
const strictChain = check.lands({ at: 'inbound', listener: 'virtualInbound', filterChain: '0.0.0.0_80', requiresClientCertificate: true });
const capturedConfig = {
  expect: {
    call: check.all(clientOffersMtls, strictChain, check.passes()),
    // istio-proxy's own curl (uid 1337) is not captured on the way out, and plain text meets STRICT's chains.
    fromSidecar: check.all(check.capturedBySidecar(false), check.stopsWith('no filter chains matched', 'inbound')),
    'iptables:flaskapp': check.iptablesRule(CAPTURE_ALL_INBOUND),
  },
  dataPlaneOnly: "the answers of v1 and v2 and curl's exit code for the reset plain-text call",
};

export default defineScenario({
  id: 'inbound-port-not-captured',
  title: 'Inbound port not captured: mTLS client meets a plaintext app (503)',
  source: MTLS_503_ANALYSIS,
  symptom:
    'Meshed curl to http://flaskapp/env/version gets 503 "upstream connect error or disconnect/reset before headers", ' +
    "while a plain curl from the client's istio-proxy container gets 200: the STRICT server does not enforce mTLS.",
  cause:
    'Port 80 of the flaskapp pods bypasses their sidecar (no ISTIO_INBOUND redirect). The client sidecar still sends mTLS ' +
    '(auto mTLS sees the tlsMode=istio label), and the Python app answers the TLS ClientHello with non-TLS bytes or a reset. ' +
    'Istio 1.1/1.2 captured only declared containerPorts; since 1.3 the annotation includeInboundPorts: "" does the same.',
  fix:
    'Capture port 80: remove the includeInboundPorts annotation (the write-up added the missing containerPort, which is ' +
    'only documentation since Istio 1.3). Plaintext from istio-proxy is then reset by the STRICT sidecar (curl exit 56).',
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [
    { name: 'curl', namespace: 'kangxzh' },
    { name: 'flaskapp', namespace: 'kangxzh' },
  ],
  probes: {
    call: probe.http({ from: 'curl', url: 'http://flaskapp/env/version', repeat: 10, timeoutMs: 15_000 }),
    fromSidecar: probe.http({ from: 'curl', container: 'istio-proxy', url: 'http://flaskapp/env/version', timeoutMs: 10_000 }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log', filter: '/env/version' }),
  },
  phases: {
    broken: {
      summary:
        'flaskapp v1/v2 with includeInboundPorts: "" under STRICT mTLS: the meshed call fails with 503, the bypassing call succeeds.',
      apply: ['common/peer-authentication.yaml', 'broken/flaskapp-uncaptured.yaml'],
      expect: {
        call: phaseSpecific(
          check.all(check.status(503), check.bodyStartsWith(ENVOY_503_BODY)),
          'only the annotated pods leave port 80 uncaptured; the base flaskapp answers the meshed call',
        ),
        fromSidecar: check.all(check.status(200), check.bodyMatches(/^v[12]\b/)),
        clientLog: check.responseFlags('UF'),
      },
      evidence: ['istio-init:flaskapp', 'access-log:curl', 'access-log:flaskapp'],
      config: {
        expect: {
          // The client sends mTLS to a port that iptables hands straight to the plain-HTTP app.
          call: check.all(clientOffersMtls, check.not(serverSidecarSees)),
          fromSidecar: check.all(check.capturedBySidecar(false), check.not(serverSidecarSees)),
          'iptables:flaskapp': check.noIptablesRule(CAPTURE_ALL_INBOUND),
        },
        dataPlaneOnly: "the app's reply to the TLS ClientHello (503 body, UF flag) and the 200 of the bypassing call",
      },
      predicted:
        'Modern Envoy retries connect failures (default retry_on connect-failure), so the body is expected to read ' +
        '"… retried and the latest reset reason: remote connection failure, transport failure reason: TLS_error:…WRONG_VERSION_NUMBER" ' +
        'and the client access log to carry URX,UF; only the body prefix and UF are asserted ' +
        "(inferred from Envoy's source and Istio's default retry policy, not yet seen on a cluster).",
    },
    'control-missing-container-port': {
      summary:
        "The write-up's trigger exactly (no containerPort, no annotation): since Istio 1.3 port 80 is captured anyway and both versions answer.",
      apply: ['common/peer-authentication.yaml', 'control-missing-container-port/flaskapp-no-container-port.yaml'],
      expect: {
        call: bothVersionsAnswer,
        fromSidecar: strictReached,
      },
      evidence: ['istio-init:flaskapp', 'access-log:flaskapp'],
      config: capturedConfig,
      predicted:
        'The plaintext call from istio-proxy is expected to end in curl exit 56 (reset); exit 52 (empty reply) is ' +
        'accepted in case the STRICT sidecar closes before the request bytes arrive (inferred, not yet seen on a cluster).',
    },
    fixed: {
      summary:
        'Annotation removed (containerPort declared, as the write-up fixed it): mTLS reaches the server sidecar, v1 and v2 alternate, plaintext is reset.',
      apply: ['common/peer-authentication.yaml', 'fixed/flaskapp.yaml'],
      expect: {
        call: bothVersionsAnswer,
        fromSidecar: strictReached,
      },
      evidence: ['istio-init:flaskapp', 'access-log:flaskapp'],
      config: capturedConfig,
      predicted:
        'Server sidecar log line "- - -" 0 NR filter_chain_not_found for the plaintext call (listener access log filtered ' +
        "on NR), and curl exit 56 as in istio.io's mtls-migration output (not yet seen on a cluster for this app).",
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      call: {
        check: check.all(serverSidecarSees, check.passes()),
        because:
          "the client sidecar sends mTLS to flaskapp: port 80 must enter flaskapp's sidecar, which terminates it, instead of reaching the plain-HTTP app",
      },
      // The simulated call reaches one endpoint (v1); iptables is judged on each Deployment's pod.
      'iptables:flaskapp': {
        check: check.iptablesRule(CAPTURE_ALL_INBOUND),
        because:
          'the Service balances over v1 and v2: istio-init must redirect inbound traffic to the sidecar in both Deployments, not just one',
      },
    },
    controls: {
      fromSidecar: {
        check: check.stopsWith('no filter chains matched', 'inbound'),
        because:
          'kangxzh requires mTLS (STRICT): a plain-text call to flaskapp must still be refused by its sidecar; relaxing mTLS (PERMISSIVE, DISABLE, no policy) is not a fix',
      },
      call: {
        check: strictChain,
        because:
          "the meshed call must arrive as mTLS on STRICT's chain (a client certificate required), not as plain text after turning mTLS off",
      },
    },
    keeps: [
      {
        kind: 'PeerAuthentication',
        namespace: 'kangxzh',
        because: "the STRICT policy is the namespace owner's requirement: fix the capture, keep the policy",
      },
    ],
    evidence: ['iptables:flaskapp'],
    hints: [
      "The client's sidecar is fine and sends mTLS. Who answers on flaskapp's port 80: its sidecar, or the app itself?",
      'Look at the iptables rules istio-init writes for the flaskapp pods: is there any ISTIO_INBOUND redirect?',
      'The pods\' annotation traffic.sidecar.istio.io/includeInboundPorts: "" captures no inbound port. Remove it (from both Deployments), keep STRICT.',
    ],
    judges:
      'Istio and Kubernetes objects you write (the flaskapp Deployments and their annotations, PeerAuthentication, DestinationRule, …), by ' +
      "what istio-init would capture for the flaskapp pods and where Istio's code sends the meshed and the plain-text call",
    cannotJudge:
      "the app's own reply to a TLS ClientHello (the 503 body, the UF flag) and anything on the client side; the simulated call ends at " +
      "one flaskapp pod (v1), and v2's capture is judged by its iptables rules",
  },
  versions: [
    {
      istio: '<1.3',
      phase: 'control-missing-container-port',
      verdict: 'failed',
      because:
        'Before Istio 1.3 the injector passed only declared containerPorts to istio-iptables (-b), so a pod without ' +
        'containerPort had no inbound capture: the write-up\'s failure (commit 844bc586 made "*" the default).',
    },
  ],
});
