import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';

const DB = 'mysql-server.ledger.svc.cluster.local';
const greets = check.all(check.connected(), check.greeting('mysql'));
const stalls = check.all(check.connected(), check.silent());
// Config level: the server sidecar's virtualInbound chains for 3306. A chain matching
// `Trans: tls` on 3306 is what makes Envoy run the TLS inspector on that port; with only the
// raw_buffer chain left, nothing needs the client's first bytes.
const tlsChainOn3306 = check.listener({ port: 15006, match: /^Trans: tls.*Addr: \*:3306$/, destination: 'inbound|3306||' });
const plainChainOn3306 = check.listener({ port: 15006, match: 'Trans: raw_buffer; Addr: *:3306', destination: 'inbound|3306||' });
const reachesServerSidecar = check.lands({
  at: 'inbound',
  listener: 'virtualInbound',
  filterChain: '0.0.0.0_3306',
  cluster: 'inbound|3306||',
});
const INSPECTOR_WAIT =
  'the stall itself: the TLS inspector waiting for a first byte the server-first client never sends ' +
  "(Istio's simulation ignores listener filters and their timeout)";

export default defineScenario({
  id: 'permissive-mtls-stalls-plaintext-server-first-client',
  title: 'PERMISSIVE mTLS on a MySQL pod: a client outside the mesh waits in the TLS inspector for ever',
  source: { title: 'FAQ: Security', author: 'Istio Authors', url: 'https://istio.io/latest/about/faq/security/' },
  symptom:
    'A client without a sidecar connects to MySQL on a meshed pod: the connection opens and the greeting never comes. ' +
    'Clients inside the mesh reach the same database normally.',
  cause:
    'PERMISSIVE means the server sidecar accepts mutual TLS and plain text on 3306, and tells them apart with the TLS ' +
    "inspector, which reads the client's first bytes. MySQL's client speaks only after the server greeting, so the " +
    'inspector never sees a byte; the detection timeout is 0s (none) by default.',
  fix:
    'Disable mutual TLS for the port (PeerAuthentication portLevelMtls 3306: DISABLE), or exclude 3306 from inbound ' +
    'capture; the lasting fix is to mesh the client and enforce STRICT.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [
    { name: 'mysql-server', namespace: 'ledger' },
    { name: 'curl', namespace: 'ledger' },
    { name: 'legacy-client', manifest: 'curl', namespace: 'ledger-legacy', injected: false },
  ],
  probes: {
    plaintextDb: probe.tcp({ from: 'legacy-client', host: DB, port: 3306, readTimeoutMs: 5_000 }),
    meshedDb: probe.tcp({ from: 'curl', host: DB, port: 3306, readTimeoutMs: 5_000 }),
    // The server sidecar's inbound listener (config level: its filter chains per destination port).
    serverInbound: probe.envoy({ of: 'mysql-server', what: 'listeners', port: 15006 }),
  },
  phases: {
    broken: {
      summary: 'PERMISSIVE: the client outside the mesh connects and hears nothing; the meshed client gets the greeting.',
      apply: ['common/peer-authentication.yaml'],
      expect: {
        plaintextDb: phaseSpecific(
          stalls,
          "PERMISSIVE (this phase's PeerAuthentication, and Istio's default) is the only state in this " +
            'scenario with the TLS inspector on 3306 and 3306 captured; the other phases each remove one of the two',
        ),
        meshedDb: greets,
      },
      evidence: ['listeners:mysql-server', 'access-log:mysql-server'],
      config: {
        expect: {
          // kube-proxy hands the plaintext connection to the pod, where iptables captures it.
          plaintextDb: check.all(check.capturedBySidecar(false), reachesServerSidecar),
          meshedDb: check.all(check.lands({ at: 'outbound', cluster: `outbound|3306||${DB}` }), reachesServerSidecar),
          // PERMISSIVE: mutual-TLS chains and a plain-text chain on 3306, told apart by the TLS inspector.
          serverInbound: check.all(tlsChainOn3306, plainChainOn3306),
        },
        dataPlaneOnly: INSPECTOR_WAIT,
      },
      predicted:
        'Inferred from listener_inbound.go, not yet seen on a cluster: the plaintext connection is accepted by the ' +
        "server sidecar (port 15006) and held in the TLS inspector, so the server's access log has no line for it.",
    },
    'fixed-exclude-inbound-port': {
      summary:
        'Port 3306 excluded from inbound capture, and meshed clients told to speak plain TCP to it: both clients talk to MySQL directly.',
      apply: [
        'common/peer-authentication.yaml',
        'fixed-exclude-inbound-port/mysql-server.yaml',
        'fixed-exclude-inbound-port/destination-rule.yaml',
      ],
      expect: {
        plaintextDb: phaseSpecific(
          greets,
          "a plaintext greeting on 3306 under PERMISSIVE needs this phase's annotated pod (no inbound redirect)",
        ),
        // Without the DestinationRule the meshed client's sidecar would still start mTLS to the
        // uncaptured port, and MySQL would get a TLS handshake instead of a client.
        meshedDb: greets,
      },
      evidence: ['istio-init:mysql-server'],
      config: {
        expect: {
          // The listener is unchanged (the TLS chains stay); istio-init leaves 3306 alone.
          'iptables:mysql-server': check.iptablesRule(/-A ISTIO_INBOUND -p tcp --dport 3306 -j RETURN/),
          plaintextDb: check.all(check.lands({ at: 'inbound' }), check.not(reachesServerSidecar)),
          // The meshed client's cluster speaks plain TCP to 3306 (the rule), so the uncaptured
          // port gets what it can answer; without the rule: "mTLS reaches the application".
          meshedDb: check.all(check.lands({ at: 'outbound', clusterTls: 'none' }), check.passes()),
          serverInbound: tlsChainOn3306,
        },
        dataPlaneOnly: 'the greeting from MySQL itself, reached without the sidecar',
      },
    },
    'control-port-mtls-disable': {
      summary: 'Mutual TLS off for 3306 on the MySQL pods only: no TLS inspector on that port, both clients get the greeting.',
      apply: ['common/peer-authentication.yaml', 'control-port-mtls-disable/peer-authentication.yaml'],
      expect: {
        plaintextDb: phaseSpecific(
          greets,
          "only this phase's port-level DISABLE removes the TLS inspector from 3306 while it stays captured",
        ),
        meshedDb: greets,
      },
      evidence: ['listeners:mysql-server'],
      config: {
        expect: {
          plaintextDb: reachesServerSidecar,
          meshedDb: reachesServerSidecar,
          // Only the plain-text chain is left on 3306: no TLS chain, so no TLS inspector wait there.
          serverInbound: check.all(check.not(tlsChainOn3306), plainChainOn3306),
        },
        dataPlaneOnly: 'the greetings (the TLS inspector disabled for 3306 is not in the listener table; its chains are)',
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe. The stall
  // is data-plane only; what config decides is whether the plain-text client meets a TLS chain on 3306.
  workshop: {
    outcome: {
      plaintextDb: {
        check: check.any(
          // 3306 not captured: MySQL itself answers.
          check.all(check.lands({ at: 'inbound' }), check.not(reachesServerSidecar)),
          // Captured, but no TLS chain on 3306 (the simulation shows the chain's TLS on the hop): no TLS inspector.
          check.all(reachesServerSidecar, check.not(check.lands({ at: 'inbound', requiresClientCertificate: true }))),
        ),
        because:
          'the plain-text client must reach MySQL without meeting a TLS chain on 3306: where there is one, the TLS inspector waits for a first byte a MySQL client never sends',
      },
    },
    controls: {
      plaintextDb: {
        check: check.not(check.stopsWith('no filter chains matched')),
        because:
          'the client outside the mesh cannot present a certificate: enforcing STRICT before it joins the mesh refuses it instead of fixing it',
      },
      serverInbound: {
        check: check.listener({ port: 15006, match: /^Trans: tls/, destination: 'InboundPassthroughCluster' }),
        because:
          "only MySQL's port has a server-first client outside the mesh: mysql-server's other ports must keep accepting mTLS (no namespace-wide DISABLE)",
      },
    },
    evidence: ['serverInbound', 'iptables:mysql-server'],
    hints: [
      "Meshed clients get the greeting; only the client without a sidecar hears nothing. What does mysql-server's sidecar do first with a connection on 3306?",
      "Under PERMISSIVE the server sidecar has mutual-TLS and plain-text chains for 3306 and picks one with the TLS inspector, which reads the client's first bytes. Who speaks first in MySQL?",
      'Take 3306 away from the TLS inspector: a PeerAuthentication for the mysql-server pods with portLevelMtls 3306: DISABLE, or exclude 3306 from inbound capture (traffic.sidecar.istio.io/excludeInboundPorts on the pod template). Keep the rest of ledger as it is.',
    ],
    judges:
      "Istio and Kubernetes objects you write (PeerAuthentication, the mysql-server Deployment's annotations, …), by the chains mysql-server's sidecar has " +
      'for 3306, whether istio-init captures 3306 and where the plain-text call lands',
    cannotJudge:
      "the stall itself and MySQL's greeting (the simulation ignores listener filters and their timeout: data plane), and changes on the client side " +
      '(meshing legacy-client, the lasting fix, is a change to its namespace and pod, not to these objects)',
  },
});
