import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';

const BODY = 'partner api: hello from outside the mesh';
const PARTNER = {
  from: 'curl',
  url: 'https://partner.example.test/',
  resolve: ['partner.example.test:443:${external.partner.ip}'],
  insecure: true,
  timeoutMs: 10_000,
};
const reaches = check.all(check.ok(), check.bodyIncludes(BODY), check.certSubject(/CN=partner\.example\.test/));

// Config level: under the Sidecar's REGISTRY_ONLY every chain for an unknown destination ends in
// BlackHoleCluster (STATIC, no endpoint); a ServiceEntry for the host gives it an SNI chain.
const PARTNER_CLUSTER = 'outbound|443||partner.example.test';
const blackholed = check.all(check.lands({ at: 'outbound', cluster: 'BlackHoleCluster', endpoints: 0 }), check.not(check.passes()));

export default defineScenario({
  id: 'registry-only-sends-unknown-hosts-to-blackhole',
  title: 'REGISTRY_ONLY without a ServiceEntry: calls to an outside API end in BlackHoleCluster',
  source: {
    title: 'Accessing External Services',
    author: 'Istio Authors',
    url: 'https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/',
  },
  symptom:
    'Once outbound traffic is restricted to the registry, HTTPS to a partner API fails with curl exit 35 (connection ' +
    'closed in the handshake) while calls inside the mesh keep working.',
  cause:
    "With outboundTrafficPolicy REGISTRY_ONLY the sidecar's catch-all chain for unknown destinations is a tcp_proxy to " +
    'BlackHoleCluster, a static cluster with no endpoints: the connection is accepted and closed (flag UH). Plain HTTP on a port ' +
    'the mesh knows as HTTP gets the block_all route instead, a direct 502.',
  fix: "Add a ServiceEntry for the partner host (here TLS on 443, resolution NONE, exported to the client's namespace).",
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [{ name: 'curl', namespace: 'payments' }],
  external: [{ name: 'partner', kind: 'https-site', hostname: 'partner.example.test', body: BODY, ca: 'partner-ca' }],
  certificates: [{ name: 'partner-ca', kind: 'ca', subject: 'O=partner,CN=partner root CA' }],
  probes: {
    partner: probe.http(PARTNER),
    // A host nobody registers, at the same address: REGISTRY_ONLY must keep cutting it once the partner is let in.
    elsewhere: probe.http({
      ...PARTNER,
      url: 'https://elsewhere.example.test/',
      resolve: ['elsewhere.example.test:443:${external.partner.ip}'],
    }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log', filter: ':443' }),
    listeners443: probe.envoy({ of: 'curl', what: 'listeners', port: 443 }),
  },
  phases: {
    broken: {
      summary: 'REGISTRY_ONLY, no ServiceEntry: the TLS handshake is cut (curl 35), the access log names BlackHoleCluster.',
      apply: ['broken/sidecar.yaml'],
      expect: {
        partner: check.all(check.status(0), check.curlExit([35, 56])),
        clientLog: phaseSpecific(
          check.all(check.accessLog(/BlackHoleCluster/), check.responseFlags('UH')),
          "only REGISTRY_ONLY routes unknown destinations to BlackHoleCluster; Istio's default passes them through",
        ),
      },
      evidence: ['access-log:curl', 'listeners:curl'],
      config: {
        expect: {
          partner: check.all(check.lands({ listener: 'virtualOutbound', filterChain: 'virtualOutbound-catchall-tcp' }), blackholed),
          listeners443: check.noListener({ address: '0.0.0.0', port: 443 }),
        },
        dataPlaneOnly: "curl's exit code for the cut handshake and the UH line in the access log",
      },
      predicted:
        "curl 35 is what Istio's egress task shows for HTTPS under REGISTRY_ONLY; 56 is accepted for the close racing " +
        'the ClientHello. Flag UH (no host in the cluster) is inferred from the static endpoint-less cluster, not yet seen on a cluster.',
    },
    fixed: {
      summary: 'The same policy plus a ServiceEntry for partner.example.test: the call reaches the partner, and only the partner.',
      apply: ['broken/sidecar.yaml', 'fixed/serviceentry.yaml'],
      expect: {
        partner: reaches,
        elsewhere: check.all(check.status(0), check.curlExit([35, 56])),
        clientLog: phaseSpecific(
          check.accessLog(/outbound\|443\|\|partner\.example\.test/),
          "the cluster outbound|443||partner.example.test exists only while this phase's ServiceEntry does",
        ),
      },
      evidence: ['access-log:curl', 'listeners:curl:443'],
      config: {
        expect: {
          partner: check.all(check.lands({ at: 'outbound', listener: '0.0.0.0_443', cluster: PARTNER_CLUSTER }), check.passes()),
          listeners443: check.listener({ address: '0.0.0.0', port: 443, match: 'SNI: partner.example.test', destination: PARTNER_CLUSTER }),
          // Another SNI on the same 443 listener falls to its blackhole fallback, as in control-other-host-entry.
          elsewhere: check.all(check.lands({ listener: '0.0.0.0_443', filterChain: 'PassthroughFilterChain' }), blackholed),
        },
        dataPlaneOnly: "the partner's answer and certificate, and curl's exit code for the other host's cut handshake",
      },
      predicted:
        "elsewhere.example.test's cut handshake is inferred from the 443 listener's fallback chain (BlackHoleCluster under " +
        'REGISTRY_ONLY, as the config level computes); not yet seen on a cluster.',
    },
    'control-other-host-entry': {
      summary:
        'REGISTRY_ONLY plus a ServiceEntry for partner-staging.example.test only: the registry matches by host, so the call is still cut.',
      apply: ['broken/sidecar.yaml', 'control-other-host-entry/serviceentry.yaml'],
      expect: {
        partner: check.all(check.status(0), check.curlExit([35, 56])),
        listeners443: phaseSpecific(
          check.listener({ address: '0.0.0.0', port: 443, match: /SNI: partner-staging\.example\.test/ }),
          "only this phase's ServiceEntry gives the client an SNI chain for partner-staging.example.test",
        ),
      },
      evidence: ['access-log:curl', 'listeners:curl:443'],
      config: {
        expect: {
          // The SNI does not match the staging chain: the 443 listener's own fallback is the blackhole too.
          partner: check.all(check.lands({ listener: '0.0.0.0_443', filterChain: 'PassthroughFilterChain' }), blackholed),
          listeners443: check.all(
            check.listener({ address: '0.0.0.0', port: 443, match: /SNI: partner-staging\.example\.test/ }),
            check.not(check.listener({ port: 443, match: /SNI: partner\.example\.test/ })),
          ),
        },
        dataPlaneOnly: "curl's exit code for the cut handshake",
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      partner: {
        check: check.passes(),
        because: 'the call to https://partner.example.test must leave the mesh instead of ending in BlackHoleCluster',
      },
    },
    controls: {
      partner: {
        check: check.lands({ at: 'outbound', cluster: /^outbound\|443\|\|partner\.example\.test$/ }),
        because:
          'the egress lock-down must stay: the partner is reached through a registered entry, not by opening egress to every host (ALLOW_ANY)',
      },
      elsewhere: {
        check: blackholed,
        because:
          'every other unregistered host must still end in BlackHoleCluster: deleting the REGISTRY_ONLY Sidecar or switching it to ALLOW_ANY lets the partner in by letting everyone out',
      },
    },
    hints: [
      "Only calls to hosts outside the cluster fail, and they fail before any TLS. What does the payments namespace's Sidecar say about unknown hosts?",
      'Under REGISTRY_ONLY, a host Istio does not know goes to BlackHoleCluster. How does a host outside the cluster become known to Istio?',
      'Register partner.example.test (port 443, TLS) with a ServiceEntry visible to payments; keep REGISTRY_ONLY.',
    ],
    judges:
      "Istio and Kubernetes objects you write (ServiceEntry, Sidecar, …), by what Istio's own code makes of them for the payments client",
    cannotJudge: "changes outside those objects: the client's URL or its certificates, or the partner's server",
  },
});
