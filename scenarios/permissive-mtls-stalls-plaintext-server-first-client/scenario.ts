/**
 * Symptom: an application outside the mesh connects to MySQL on a meshed pod and hangs: the
 *          connection opens, no greeting arrives. Meshed clients of the same database work.
 * Cause:   under PERMISSIVE the server's inbound listener must tell mutual TLS from plain text on
 *          3306, so it puts the TLS inspector in front, and the inspector decides by reading the
 *          client's first bytes. A plaintext MySQL client sends none (the server speaks first),
 *          and with protocolDetectionTimeout 0s nobody gives up.
 * Fix:     exclude the port from inbound capture, turn mutual TLS off for that port
 *          (portLevelMtls DISABLE, the control), or move the client into the mesh (its sidecar starts with a TLS
 *          ClientHello, which is what the inspector waits for).
 * Source:  https://istio.io/latest/about/faq/security/ (MySQL connectivity troubleshooting);
 *          Istio 1.30.3 pilot/pkg/networking/core/listener_inbound.go (inspectors per port,
 *          buildTLSInspector, ListenerFiltersTimeout from protocolDetectionTimeout).
 */
import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';

const DB = 'mysql-server.ledger.svc.cluster.local';
const greets = check.all(check.connected(), check.greeting('mysql'));
const stalls = check.all(check.connected(), check.silent());

export default defineScenario({
  id: 'permissive-mtls-stalls-plaintext-server-first-client',
  title: 'PERMISSIVE mTLS on a MySQL pod: a client outside the mesh waits in the TLS inspector for ever',
  source: 'https://istio.io/latest/about/faq/security/',
  symptom: 'A client without a sidecar connects to MySQL on a meshed pod: the connection opens and the greeting never comes. '
    + 'Clients inside the mesh reach the same database normally.',
  cause: 'PERMISSIVE means the server sidecar accepts mutual TLS and plain text on 3306, and tells them apart with the TLS '
    + 'inspector, which reads the client\'s first bytes. MySQL\'s client speaks only after the server greeting, so the '
    + 'inspector never sees a byte; the detection timeout is 0s (none) by default.',
  fix: 'Disable mutual TLS for the port (PeerAuthentication portLevelMtls 3306: DISABLE), or exclude 3306 from inbound '
    + 'capture; the lasting fix is to mesh the client and enforce STRICT.',
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
  },
  phases: {
    broken: {
      summary: 'PERMISSIVE: the client outside the mesh connects and hears nothing; the meshed client gets the greeting.',
      apply: ['common/peer-authentication.yaml'],
      expect: {
        plaintextDb: phaseSpecific(stalls, 'PERMISSIVE (this phase\'s PeerAuthentication, and Istio\'s default) is the only state in this '
          + 'scenario with the TLS inspector on 3306 and 3306 captured; the other phases each remove one of the two'),
        meshedDb: greets,
      },
      evidence: ['listeners:mysql-server', 'access-log:mysql-server'],
      predicted: 'Inferred from listener_inbound.go, not yet seen on a cluster: the plaintext connection is accepted by the '
        + 'server sidecar (port 15006) and held in the TLS inspector, so the server\'s access log has no line for it.',
    },
    'fixed-exclude-inbound-port': {
      summary: 'Port 3306 excluded from inbound capture: the plaintext client talks to MySQL directly.',
      apply: ['common/peer-authentication.yaml', 'fixed-exclude-inbound-port/mysql-server.yaml'],
      expect: { plaintextDb: phaseSpecific(greets, 'a plaintext greeting on 3306 under PERMISSIVE needs this phase\'s annotated pod (no inbound redirect)') },
      evidence: ['istio-init:mysql-server'],
    },
    'control-port-mtls-disable': {
      summary: 'Mutual TLS off for 3306 on the MySQL pods only: no TLS inspector on that port, both clients get the greeting.',
      apply: ['common/peer-authentication.yaml', 'control-port-mtls-disable/peer-authentication.yaml'],
      expect: {
        plaintextDb: phaseSpecific(greets, 'only this phase\'s port-level DISABLE removes the TLS inspector from 3306 while it stays captured'),
        meshedDb: greets,
      },
      evidence: ['listeners:mysql-server'],
    },
  },
});
