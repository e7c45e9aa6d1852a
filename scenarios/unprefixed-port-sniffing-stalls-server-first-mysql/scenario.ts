import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';

const HOST = 'orders-db.orders.svc.cluster.local';
const CLUSTER_3307 = `outbound|3307||${HOST}`;
const CLUSTER_3306 = `outbound|3306||${HOST}`;

/** MySQL greeted: protocol 10 arrived on an open connection. */
const greets = check.all(check.connected(), check.greeting('mysql'));
/** Connected to the client sidecar, then nothing until the deadline: the sniffing wait. */
const stalls = check.all(check.connected(), check.silent());
/** A filter chain that matches on detected application protocols (`App: …`) exists only when the port is sniffed. */
const sniffed = (port: number) => check.listener({ port, match: /App: / });
const plainTcp = (port: number, cluster: string) =>
  check.all(check.not(sniffed(port)), check.listener({ port, match: 'ALL', destination: cluster }));

// Config level: Istio's simulation takes the TCP chain in every phase (it ignores listener
// filters and their timeout), so the path is the same; the sniffing chains in the client's
// listener table are what differs.
const toService = (port: number, cluster: string) =>
  check.all(
    check.lands({ at: 'outbound', listener: new RegExp(`_${port}$`), cluster }),
    check.lands({ at: 'inbound', filterChain: '0.0.0.0_3306', cluster: 'inbound|3306||' }),
  );
const SNIFF_WAIT =
  'the stall: the HTTP inspector waiting for client bytes MySQL never sends (protocolDetectionTimeout 0s); ' +
  'the simulation ignores listener filters and their timeout';

export default defineScenario({
  id: 'unprefixed-port-sniffing-stalls-server-first-mysql',
  title: 'MySQL behind a Service port named without protocol: the client sidecar sniffs and the greeting never comes',
  source: {
    title: 'Protocol Selection',
    author: 'Istio Authors',
    url: 'https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/',
  },
  symptom:
    'A meshed client connects to MySQL through a new Service on 3307 and hangs: the connection opens, the server ' +
    'greeting never arrives, and the client gives up reading the initial packet.',
  cause:
    'The port is named `db` and is not one of the ports Istio assumes TCP for (25, 53, 3306, 27017), so its protocol ' +
    "is unknown and the client sidecar detects it by reading the client's first bytes. MySQL speaks first; both sides wait. " +
    'The default protocolDetectionTimeout is 0s since Istio 1.9, so the wait never ends.',
  fix: 'Declare the protocol on the Service port: a `tcp-` name prefix, or `appProtocol: tcp`.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [
    { name: 'curl', namespace: 'orders' },
    { name: 'mysql-server', namespace: 'orders' },
  ],
  probes: {
    db3307: probe.tcp({ from: 'curl', host: HOST, port: 3307, readTimeoutMs: 5_000 }),
    db3306: probe.tcp({ from: 'curl', host: HOST, port: 3306, readTimeoutMs: 5_000 }),
    listeners3307: probe.envoy({ of: 'curl', what: 'listeners', port: 3307 }),
    listeners3306: probe.envoy({ of: 'curl', what: 'listeners', port: 3306 }),
  },
  phases: {
    broken: {
      summary: "Port `db` on 3307: the connection opens and stays silent; the client's 3307 listener has sniffing chains.",
      apply: ['broken/service.yaml'],
      expect: {
        db3307: stalls,
        listeners3307: phaseSpecific(
          sniffed(3307),
          'orders-db exists only while a phase declares it; only the `db` name on 3307 leaves its protocol unknown',
        ),
      },
      evidence: ['listeners:curl:3307', 'access-log:curl'],
      config: {
        expect: {
          db3307: toService(3307, CLUSTER_3307),
          listeners3307: check.all(sniffed(3307), check.listener({ port: 3307, match: 'ALL', destination: CLUSTER_3307 })),
        },
        dataPlaneOnly: SNIFF_WAIT,
      },
      predicted:
        'The MATCH column of the sniffing chains is inferred from listener.go (HTTP chain with application protocols, ' +
        'then the TCP chain); the listener-table renderer prints them as "App: HTTP" or "App: http/1.1,h2c". Not yet seen on a cluster.',
    },
    fixed: {
      summary: 'Port renamed `tcp-db`: the greeting arrives; the 3307 listener is one plain TCP chain.',
      apply: ['fixed/service.yaml'],
      expect: {
        db3307: greets,
        listeners3307: phaseSpecific(
          plainTcp(3307, CLUSTER_3307),
          'orders-db:3307 exists only while a phase declares it, and is plain TCP only with a declared protocol',
        ),
      },
      evidence: ['listeners:curl:3307'],
      config: {
        expect: { db3307: toService(3307, CLUSTER_3307), listeners3307: plainTcp(3307, CLUSTER_3307) },
        dataPlaneOnly: 'the greeting',
      },
    },
    'fixed-app-protocol': {
      summary: 'Port still `db`, with `appProtocol: tcp`: the same as renaming it.',
      apply: ['fixed-app-protocol/service.yaml'],
      expect: {
        db3307: greets,
        listeners3307: phaseSpecific(
          plainTcp(3307, CLUSTER_3307),
          "the previous phase's Service is deleted on revert; only this phase's appProtocol makes 3307 plain TCP again",
        ),
      },
      evidence: ['listeners:curl:3307'],
      config: {
        expect: { db3307: toService(3307, CLUSTER_3307), listeners3307: plainTcp(3307, CLUSTER_3307) },
        dataPlaneOnly: 'the greeting',
      },
    },
    'control-well-known-port': {
      summary: "Port `db` on 3306: Istio assumes TCP on MySQL's port whatever the name, so the greeting arrives.",
      apply: ['control-well-known-port/service.yaml'],
      expect: { db3306: greets, listeners3306: phaseSpecific(plainTcp(3306, CLUSTER_3306), 'only this phase puts orders-db on 3306') },
      evidence: ['listeners:curl:3306'],
      config: {
        expect: { db3306: toService(3306, CLUSTER_3306), listeners3306: plainTcp(3306, CLUSTER_3306) },
        dataPlaneOnly: 'the greeting',
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe. The stall
  // itself is data-plane only; what config decides is whether 3307 is sniffed at all.
  workshop: {
    outcome: {
      listeners3307: {
        check: plainTcp(3307, CLUSTER_3307),
        because:
          "curl's 3307 listener for orders-db must be one plain TCP chain: a chain that matches on detected application protocols (App: …) " +
          "waits for the client's first bytes, and MySQL speaks first",
      },
      db3307: {
        check: check.all(toService(3307, CLUSTER_3307), check.passes()),
        because: "the call to orders-db:3307 must still reach mysql-server's 3306 through both sidecars",
      },
    },
    controls: {
      db3307: {
        check: check.lands({ at: 'outbound', listener: /_3307$/, cluster: CLUSTER_3307 }),
        because:
          "the orders clients use orders-db:3307: keep the port and declare its protocol; moving the Service to MySQL's well-known 3306 breaks every client configured for 3307",
      },
    },
    keeps: [
      {
        kind: 'Service',
        namespace: 'orders',
        because: 'orders-db is the name the orders clients use: correct its port, do not replace it',
      },
    ],
    hints: [
      "The connection opens and nothing comes back, and MySQL is a server-first protocol. What is curl's sidecar waiting for on 3307?",
      "Compare curl's listener rows on 3307 with those on a port Istio knows as TCP: the App: http/1.1,h2c chain means the sidecar is detecting the protocol from the client's first bytes.",
      'The Service port is named `db`, which says no protocol, and 3307 is not a port Istio assumes TCP for. Name it tcp-db (or set appProtocol: tcp); keep port 3307.',
    ],
    judges:
      "Kubernetes and Istio objects you write (the orders-db Service's port name, appProtocol, number, …), by curl's listener on 3307 and where Istio's code sends the call",
    cannotJudge:
      "the stall itself and MySQL's greeting (the simulation ignores listener filters and their timeout: data plane), mesh config (protocolDetectionTimeout), " +
      'and changes to the pods (annotations excluding ports from capture)',
  },
});
