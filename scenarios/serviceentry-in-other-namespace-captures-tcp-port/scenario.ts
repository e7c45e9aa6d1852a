import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { EXTERNAL_TCP_UNREACHABLE } from '../write-ups.ts';

const EXTERNAL_MYSQL = '${external.mysql-external.ip}';
const HIJACKER = 'outbound|3306||mysql.demo';
const wildcard3306 = check.listener({ address: '0.0.0.0', port: 3306, match: 'ALL', destination: HIJACKER });
const WILDCARD_ONLY_WITH_ENTRY = 'the 0.0.0.0:3306 row exists only while an entry on 3306 without addresses is pushed to the client';
const passesThrough = { external: check.greeting('mysql'), inCluster: check.greeting('mysql') };
// Config level: the in-cluster MySQL is reached through its own Service listener, whatever the
// entry does; the outside one leaves through Istio's passthrough once the entry is out of the way.
const inClusterConfig = check.lands({
  at: 'outbound',
  listener: /_3306$/,
  cluster: 'outbound|3306||mysql-server.demo1.svc.cluster.local',
  endpoints: 1,
});
const externalPassesThrough = check.all(check.lands({ at: 'outbound', cluster: 'PassthroughCluster' }), check.passes());

export default defineScenario({
  id: 'serviceentry-in-other-namespace-captures-tcp-port',
  title: 'TCP ServiceEntry in another namespace captures port 3306 of every sidecar',
  source: EXTERNAL_TCP_UNREACHABLE,
  symptom:
    'From a meshed pod, `telnet <outside MySQL IP> 3306` connects and is closed at once ("Connection closed by ' +
    'foreign host"), with no MySQL greeting; the in-cluster MySQL behind its Service still greets.',
  cause:
    'A ServiceEntry in namespace demo (host mysql.demo, TCP 3306, resolution DNS, no addresses) is exported to every ' +
    'namespace. Each sidecar gets a 0.0.0.0:3306 listener matching ALL connections to outbound|3306||mysql.demo, a DNS ' +
    'cluster whose name resolves to nothing: Envoy accepts the connection and closes it (no healthy upstream).',
  fix:
    'Any of the write-up\'s three: a Sidecar in the client namespace importing only "./*" and "istio-system/*"; a ' +
    'different port for the entry; or a VIP on the entry (addresses + STATIC endpoints) with ISTIO_META_DNS_CAPTURE on ' +
    'the client. exportTo: ["."] on the entry also works.',
  mesh: { profile: 'casebook-demo' },
  // The entry is exported mesh-wide: during `broken` every sidecar's port 3306 is captured.
  isolation: 'mesh',
  // As in the write-up, the in-cluster MySQL sits next to the client (demo1) and only the entry is in
  // demo. With the server in demo, the Sidecar fix would hide its Service too: the client would send
  // plaintext through PassthroughCluster to a PERMISSIVE server-first port, where the TLS inspector
  // waits for client bytes that MySQL never provokes (no listener-filter timeout), so no greeting.
  // The DNS-capturing client lives in demo, which also keeps that namespace in existence (the
  // runner creates namespaces from workloads).
  workloads: [
    { name: 'curl', namespace: 'demo1' },
    { name: 'mysql-server', namespace: 'demo1' },
    { name: 'curl-dns-capture', namespace: 'demo' },
  ],
  external: [{ name: 'mysql-external', kind: 'mysql' }],
  probes: {
    external: probe.tcp({ from: 'curl', host: EXTERNAL_MYSQL, port: 3306, readTimeoutMs: 5_000 }),
    inCluster: probe.tcp({ from: 'curl', host: 'mysql-server.demo1.svc.cluster.local', port: 3306, readTimeoutMs: 5_000 }),
    listeners: probe.envoy({ of: 'curl', what: 'listeners', port: 3306 }),
    listeners3307: probe.envoy({ of: 'curl', what: 'listeners', port: 3307 }),
    // kube-dns's TCP port: a listener every client has unless a Sidecar hides kube-system.
    listeners53: probe.envoy({ of: 'curl', what: 'listeners', port: 53 }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log' }),
    byNameWithDnsCapture: probe.tcp({ from: 'curl-dns-capture', host: 'mysql.demo', port: 3306, readTimeoutMs: 5_000 }),
    dnsCaptureListeners: probe.envoy({ of: 'curl-dns-capture', what: 'listeners', port: 3306 }),
  },
  phases: {
    broken: {
      summary: 'Entry in demo, TCP 3306, resolution DNS, no addresses: the outside MySQL is cut off, the in-cluster one still greets.',
      apply: ['broken/serviceentry.yaml'],
      expect: {
        external: check.closedWithoutGreeting(),
        inCluster: check.greeting('mysql'),
        listeners: phaseSpecific(wildcard3306, WILDCARD_ONLY_WITH_ENTRY),
        clientLog: check.all(check.responseFlags('UH'), check.accessLog(/outbound\|3306\|\|mysql\.demo/)),
      },
      evidence: ['listeners:curl:3306', 'access-log:curl'],
      config: {
        expect: {
          // Istio sends the outside MySQL's connection to the entry's DNS cluster…
          external: check.all(
            check.lands({ at: 'outbound', listener: '0.0.0.0_3306', cluster: HIJACKER }),
            // …whose host mysql.demo the cluster's DNS cannot answer: nothing to send to.
            check.stopsWith('no healthy upstream'),
          ),
          inCluster: inClusterConfig,
          listeners: wildcard3306,
          analysis: check.analyzer('IST0134', 'demo/mysql'),
          // istiod's address allocator (PILOT_ENABLE_IP_AUTOALLOCATE, on by default) gives the
          // entry 240.240.0.1; a client with DNS capture gets its listener there, not on 0.0.0.0.
          dnsCaptureListeners: check.all(
            check.noListener({ address: '0.0.0.0', port: 3306 }),
            check.listener({ address: '240.240.0.1', port: 3306, match: 'ALL', destination: HIJACKER }),
          ),
        },
        dataPlaneOnly: 'the close without a greeting and the UH flag in the access log',
      },
      predicted:
        'mysql.demo does not resolve, so the DNS cluster has no endpoint: an immediate close and an access-log line ' +
        '"- - -" 0 UH … outbound|3306||mysql.demo are inferred from Envoy\'s tcp_proxy, not yet seen on a cluster.',
    },
    'control-resolution-none': {
      summary: 'The same entry with resolution NONE: the 0.0.0.0:3306 listener is still there but forwards to the original destination.',
      apply: ['control-resolution-none/serviceentry.yaml'],
      expect: {
        ...passesThrough,
        listeners: phaseSpecific(
          wildcard3306,
          `${WILDCARD_ONLY_WITH_ENTRY}; with both greetings in the same phase it can only be the NONE entry`,
        ),
      },
      evidence: ['listeners:curl:3306', 'access-log:curl'],
      config: {
        expect: {
          external: check.all(check.lands({ at: 'outbound', listener: '0.0.0.0_3306', cluster: HIJACKER }), check.passes()),
          inCluster: inClusterConfig,
          listeners: wildcard3306,
        },
      },
      predicted:
        'The ORIGINAL_DST cluster of a NONE entry keeps the listener row and passes traffic through ' +
        "(inferred from Istio's source, not yet seen on a cluster).",
    },
    'fixed-sidecar-scope': {
      summary: "Broken, plus a Sidecar in demo1 importing only ./* and istio-system/*: the entry leaves the client's config.",
      apply: ['broken/serviceentry.yaml', 'fixed-sidecar-scope/sidecar.yaml'],
      expect: {
        ...passesThrough,
        // The write-up's table after the fix: the wildcard row gone, mysql-server's Service row kept.
        listeners: check.all(
          check.noListener({ address: '0.0.0.0', port: 3306 }),
          check.listener({ port: 3306, match: 'ALL', destination: 'outbound|3306||mysql-server.demo1.svc.cluster.local' }),
        ),
        // "No 0.0.0.0:3306" is also the state before the Sidecar arrives with the entry still gone;
        // only a Sidecar that stops importing kube-system removes kube-dns's listener.
        listeners53: phaseSpecific(
          check.noListener({ port: 53 }),
          "every client has kube-dns's 53 listener unless a Sidecar in its namespace stops importing kube-system",
        ),
      },
      evidence: ['listeners:curl:3306', 'listeners:curl:53'],
      config: {
        expect: {
          external: externalPassesThrough,
          inCluster: inClusterConfig,
          listeners: check.noListener({ address: '0.0.0.0', port: 3306 }),
          listeners53: check.noListener({ port: 53 }),
        },
      },
      predicted:
        'kube-dns (kube-system, TCP 53) gives every client without a Sidecar a <ClusterIP>:53 listener, as in ' +
        "istioctl listener tables on kind; its absence is this phase's proof that the Sidecar reached the client " +
        "(inferred from Istio's source, not yet seen on a cluster).",
    },
    'fixed-other-port': {
      summary: 'The entry moves to 3307: nothing listens on 0.0.0.0:3306 any more.',
      apply: ['fixed-other-port/serviceentry.yaml'],
      expect: {
        ...passesThrough,
        listeners: check.noListener({ address: '0.0.0.0', port: 3306 }),
        // Both checks above also hold with no entry at all (the state the revert leaves): the moved
        // entry must show up on its new port.
        listeners3307: phaseSpecific(
          check.listener({ address: '0.0.0.0', port: 3307, match: 'ALL', destination: 'outbound|3307||mysql.demo' }),
          'only the entry moved to 3307 makes a 0.0.0.0:3307 listener',
        ),
      },
      evidence: ['listeners:curl:3306', 'listeners:curl:3307'],
      config: {
        expect: {
          external: externalPassesThrough,
          inCluster: inClusterConfig,
          listeners: check.noListener({ address: '0.0.0.0', port: 3306 }),
          listeners3307: check.listener({ address: '0.0.0.0', port: 3307, match: 'ALL', destination: 'outbound|3307||mysql.demo' }),
        },
      },
    },
    'fixed-dns-capture': {
      summary: 'The entry gets VIP 240.0.221.130 with a STATIC endpoint; the DNS-capturing client resolves mysql.demo to it.',
      apply: ['fixed-dns-capture/serviceentry.yaml'],
      expect: {
        ...passesThrough,
        listeners: check.noListener({ address: '0.0.0.0', port: 3306 }),
        byNameWithDnsCapture: check.greeting('mysql'),
        dnsCaptureListeners: phaseSpecific(
          check.all(
            check.noListener({ address: '0.0.0.0', port: 3306 }),
            check.listener({ address: '240.0.221.130', port: 3306, match: 'ALL', destination: HIJACKER }),
          ),
          'only the entry with addresses [240.0.221.130] makes the VIP listener',
        ),
      },
      evidence: ['listeners:curl-dns-capture:3306', 'access-log:curl-dns-capture'],
      config: {
        expect: {
          external: externalPassesThrough,
          inCluster: inClusterConfig,
          // Istio's DNS proxy answers mysql.demo with the entry's VIP; the VIP listener sends it to
          // the entry's STATIC endpoint, the outside MySQL.
          byNameWithDnsCapture: check.all(
            check.lands({ at: 'outbound', listener: '240.0.221.130_3306', cluster: HIJACKER, endpoints: 1 }),
            check.passes(),
          ),
          dnsCaptureListeners: check.all(
            check.noListener({ address: '0.0.0.0', port: 3306 }),
            check.listener({ address: '240.0.221.130', port: 3306, match: 'ALL', destination: HIJACKER }),
          ),
        },
      },
      predicted:
        "The agent answers mysql.demo with the entry's address (dns-proxy docs); the by-name greeting is the run's " +
        'confirmation for this client image (not yet seen on a cluster).',
    },
  },
  versions: [
    {
      istio: '<1.8',
      phase: 'fixed-dns-capture',
      verdict: 'still-failing',
      because: "Istio's DNS proxy (ISTIO_META_DNS_CAPTURE) arrived in 1.8: before it, mysql.demo does not resolve in the pod.",
    },
  ],
  // `casebook check` / `casebook workshop`: what any fix must reach (the outcome, not the recipe;
  // exportTo: ["."] on the entry is accepted though no phase uses it) and what a careless one breaks.
  workshop: {
    outcome: {
      external: {
        check: check.passes(),
        because:
          "the outside MySQL must be reachable again: the call from curl (demo1) has to leave the mesh instead of dying in the entry's DNS cluster",
      },
      inCluster: {
        check: check.all(inClusterConfig, check.passes()),
        because: 'the in-cluster MySQL must still be reached through its own Service',
      },
    },
    controls: {
      'listeners:curl-dns-capture': {
        check: check.listenerTo(/\|\|mysql\.demo$/),
        because:
          'the entry belongs to namespace demo: its own clients (curl-dns-capture lives there) must still get it. Deleting it, or hiding it from every namespace, moves the incident to its owners',
      },
      inCluster: {
        check: check.lands({ at: 'inbound', requiresClientCertificate: true }),
        because:
          'mTLS must stay on: turning it off (a PeerAuthentication or DestinationRule) is not a fix for a listener clash, and opens every server to plaintext',
      },
    },
    keeps: [
      {
        kind: 'ServiceEntry',
        namespace: 'demo',
        because: "another team's ServiceEntries are not yours to delete: scope them, do not remove them",
      },
    ],
    evidence: ['listeners'],
    hints: [
      "Same client, same port 3306: the in-cluster MySQL works and the outside one does not. What does curl's sidecar have listening on 3306?",
      "curl's listeners on 3306 include a 0.0.0.0 row that sends every connection to a cluster named after a ServiceEntry. Which namespace is that entry in, and which namespaces can see it?",
      "The entry in demo has no addresses, resolution DNS, and is exported to every namespace. Keep it out of demo1's config (a Sidecar in demo1, or exportTo on the entry), move it off 3306, or give it an address of its own.",
    ],
    judges:
      "Istio and Kubernetes objects you write (ServiceEntry, Sidecar, DestinationRule, PeerAuthentication, …), by what Istio's own code makes of them for curl (demo1) and curl-dns-capture (demo)",
    cannotJudge:
      "changes outside those objects: the pods themselves (turning on DNS capture for curl), the outside MySQL, or the cluster's DNS",
  },
});
