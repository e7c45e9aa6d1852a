import { check, defineScenario, EXAMPLE_CA, phaseSpecific, probe } from '../../harness/index.ts';
import { HTTPS_AFTER_ISTIO_1_11 } from '../write-ups.ts';

const TRAEFIK_CLUSTER = 'outbound|443||traefik.cutom-name';
const SITE_A_BODY = 'site A: the real server for site-a.test';
const SITE_B_BODY = 'site B: the real server for site-b.test';

// curl --resolve <host>:443:<container IP>: the client dials the site's real address, as a pod
// calling a public host would; only the sidecar's listener decides where the bytes go.
// With -k the probe still records the served certificate: its subject says who answered (the
// site's own CN=site-b.test, issued by the run's CA, or traefik's `*.example.com`).
const SITE_A = {
  from: 'curl',
  url: 'https://site-a.test/',
  resolve: ['site-a.test:443:${external.site-a.ip}'],
  insecure: true,
  timeoutMs: 10_000,
};
const SITE_B = {
  from: 'curl',
  url: 'https://site-b.test/',
  resolve: ['site-b.test:443:${external.site-b.ip}'],
  insecure: true,
  timeoutMs: 10_000,
};

const hijacked = check.all(check.status(404), check.bodyStartsWith('404 page not found'), check.certSubject(/CN=\*\.example\.com/));
const reaches = (body: string, cn: RegExp) =>
  check.all(check.ok(), check.bodyIncludes(body), check.certSubject(cn), check.certIssuer(/CN=example\.com/));
const allTraffic = check.listener({ address: '0.0.0.0', port: 443, match: 'ALL', destination: TRAEFIK_CLUSTER });
// Without the client trusting the run's CA, a plain curl to the real site B also exits 60: what
// tells hijacked from not is which certificate problem curl reports (traefik's is self-signed).
const impostor = check.all(check.curlExit(60), check.curlError(/self[- ]signed certificate/));
const realSiteUntrusted = check.all(check.curlExit(60), check.curlError(/unable to get local issuer certificate/));

// Config level: which chain of the client's 443 listeners each site's connection lands on
// (Istio's simulation) and IST0134 (an entry without addresses on a TCP port).
const toTraefik = check.lands({ at: 'outbound', listener: '0.0.0.0_443', cluster: TRAEFIK_CLUSTER });
const passesThrough = check.all(check.lands({ at: 'outbound', cluster: 'PassthroughCluster' }), check.passes());
const HIJACK_DATA_PLANE = "traefik's *.example.com certificate, its 404 body and curl's exit 60";

export default defineScenario({
  id: 'serviceentry-without-addresses-hijacks-https',
  title: 'ServiceEntry without addresses hijacks all outbound HTTPS (0.0.0.0:443 ALL)',
  source: HTTPS_AFTER_ISTIO_1_11,
  symptom:
    'After an upgrade, HTTPS from every meshed pod to any outside host fails: curl reports a `*.example.com` ' +
    'certificate that does not match the host, or with -k gets "404 page not found" from an internal traefik.',
  cause:
    'A generated ServiceEntry (host traefik.cutom-name, port 443, no addresses) whose port is TCP or has no protocol ' +
    'gets a 0.0.0.0:443 listener with one filter chain matching ALL connections, routed to traefik. A Sidecar limiting ' +
    'egress to "./*" had hidden the MESH_EXTERNAL entries whose SNI chains used to mask it.',
  fix:
    "Give the ServiceEntry a VIP: addresses = traefik's ClusterIP, endpoints = traefik.abc (the write-up). Declaring the " +
    'port as protocol TLS (SNI-matched chain) or narrowing exportTo also prevents the hijack.',
  mesh: { profile: 'casebook-demo' },
  // The broken entry is exported to every namespace: every sidecar in the mesh gets the 0.0.0.0:443 listener.
  isolation: 'mesh',
  workloads: [
    { name: 'curl', namespace: 'istio-demo' },
    // traefik is an ingress controller, not part of the mesh.
    { name: 'traefik', namespace: 'abc', injected: false },
  ],
  external: [
    { name: 'site-a', kind: 'https-site', hostname: 'site-a.test', body: SITE_A_BODY, ca: 'example-ca' },
    { name: 'site-b', kind: 'https-site', hostname: 'site-b.test', body: SITE_B_BODY, ca: 'example-ca' },
  ],
  // Signs the sites' certificates (the probes check that issuer); traefik's is self-signed, like traefik's default.
  certificates: [EXAMPLE_CA],
  probes: {
    siteA: probe.http(SITE_A),
    siteB: probe.http(SITE_B),
    // The write-up's plain `curl https://<host>` with the image's own trust store: it cannot
    // authenticate what answers (exit 60). Only meaningful while hijacked: the sites' CA is the run's.
    siteBPlain: probe.http({ ...SITE_B, insecure: false }),
    listeners: probe.envoy({ of: 'curl', what: 'listeners', port: 443 }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log' }),
  },
  phases: {
    broken: {
      summary: 'The TCP ServiceEntry without addresses: HTTPS to site A and site B both land on traefik.',
      apply: ['common/sidecar.yaml', 'broken/serviceentry.yaml'],
      expect: {
        siteA: hijacked,
        siteB: hijacked,
        siteBPlain: impostor,
        listeners: phaseSpecific(allTraffic, 'only a TCP entry on 443 without addresses makes a match-all 0.0.0.0:443 row'),
        clientLog: check.accessLog(/outbound\|443\|\|traefik\.cutom-name/),
      },
      evidence: ['listeners:curl:443', 'access-log:curl', 'served-certificate:siteB'],
      config: {
        expect: {
          siteA: toTraefik,
          siteB: toTraefik,
          siteBPlain: toTraefik,
          listeners: allTraffic,
          analysis: check.analyzer('IST0134', /traefik-cutom-name/),
        },
        dataPlaneOnly: HIJACK_DATA_PLANE,
      },
      predicted:
        'The exact listener row "0.0.0.0 443 ALL Cluster: outbound|443||traefik.cutom-name" and the client access-log ' +
        "line naming that cluster with the site's IP as requested address are inferred from Istio's source " +
        '(pilot/pkg/networking/core/tls.go and listener.go at 1.30.3), not yet seen on a cluster.',
    },
    'control-tls-protocol': {
      summary: 'The same entry with protocol TLS, as the write-up printed it: an SNI-matched chain, other hosts pass through.',
      apply: ['common/sidecar.yaml', 'control-tls-protocol/serviceentry.yaml'],
      expect: {
        siteA: reaches(SITE_A_BODY, /CN=site-a\.test/),
        siteB: reaches(SITE_B_BODY, /CN=site-b\.test/),
        listeners: phaseSpecific(
          check.all(
            check.not(allTraffic),
            check.listener({ address: '0.0.0.0', port: 443, match: /traefik\.cutom-name/, destination: TRAEFIK_CLUSTER }),
          ),
          'only the entry with protocol TLS makes an SNI-matched traefik row',
        ),
      },
      evidence: ['listeners:curl:443', 'served-certificate:siteB'],
      config: {
        expect: {
          siteA: passesThrough,
          siteB: passesThrough,
          listeners: check.all(
            check.not(allTraffic),
            check.listener({ address: '0.0.0.0', port: 443, match: 'SNI: traefik.cutom-name', destination: TRAEFIK_CLUSTER }),
          ),
          analysis: check.noAnalyzer('IST0134'),
        },
        dataPlaneOnly: "the sites' own answers and certificates",
      },
      predicted:
        'The SNI row "0.0.0.0 443 SNI: traefik.cutom-name" is read from ' +
        'pilot/pkg/networking/core/tls.go at 1.30.3; not yet seen on a cluster.',
    },
    'workaround-external-serviceentry': {
      summary: 'Broken, plus a MESH_EXTERNAL TLS entry for site A: site A works again, site B is still hijacked.',
      apply: ['common/sidecar.yaml', 'broken/serviceentry.yaml', 'workaround-external-serviceentry/site-a-serviceentry.yaml'],
      expect: {
        siteA: reaches(SITE_A_BODY, /CN=site-a\.test/),
        siteB: hijacked,
        listeners: phaseSpecific(
          check.all(
            allTraffic,
            check.listener({ address: '0.0.0.0', port: 443, match: /site-a\.test/, destination: 'outbound|443||site-a.test' }),
          ),
          'only the added MESH_EXTERNAL entry makes the site-a.test SNI row beside the hijacking one',
        ),
      },
      evidence: ['listeners:curl:443', 'access-log:curl'],
      config: {
        expect: {
          siteA: check.all(check.lands({ at: 'outbound', listener: '0.0.0.0_443', cluster: 'outbound|443||site-a.test' }), check.passes()),
          siteB: toTraefik,
          listeners: check.all(
            allTraffic,
            check.listener({ address: '0.0.0.0', port: 443, match: 'SNI: site-a.test', destination: 'outbound|443||site-a.test' }),
          ),
          analysis: check.analyzer('IST0134', /traefik-cutom-name/),
        },
        dataPlaneOnly: `site A's answer; for site B, ${HIJACK_DATA_PLANE}`,
      },
      predicted:
        'Envoy prefers the SNI chain of site-a.test to the match-all chain; istiod keeps both ' +
        '(mergeTCPFilterChains drops only identical matches). Runtime behaviour inferred, not yet seen on a cluster.',
    },
    fixed: {
      summary: "The entry gets traefik's ClusterIP as its address: the listener binds that VIP and other HTTPS passes through.",
      apply: ['common/sidecar.yaml', 'fixed/serviceentry.yaml'],
      expect: {
        siteA: reaches(SITE_A_BODY, /CN=site-a\.test/),
        siteB: reaches(SITE_B_BODY, /CN=site-b\.test/),
        siteBPlain: realSiteUntrusted,
        listeners: phaseSpecific(
          check.all(check.not(allTraffic), check.listener({ port: 443, match: 'ALL', destination: TRAEFIK_CLUSTER })),
          "a traefik row that is not on 0.0.0.0 exists only with the entry bound to traefik's ClusterIP",
        ),
      },
      evidence: ['listeners:curl:443', 'access-log:curl', 'served-certificate:siteB'],
      config: {
        expect: {
          siteA: passesThrough,
          siteB: passesThrough,
          siteBPlain: passesThrough,
          // The entry's row is bound to traefik's ClusterIP (made up per phase at config level), not 0.0.0.0.
          listeners: check.all(check.not(allTraffic), check.listener({ port: 443, match: 'ALL', destination: TRAEFIK_CLUSTER })),
          analysis: check.noAnalyzer('IST0134'),
        },
        dataPlaneOnly: "the sites' own answers and certificates, and curl's exit 60 for the untrusted real site",
      },
      predicted:
        'The VIP-bound row "<ClusterIP> 443 ALL Cluster: outbound|443||traefik.cutom-name" is inferred from ' +
        'buildSidecarOutboundListener ' +
        "(inferred from Istio's source, not yet seen on a cluster); the sites answering with their own certificates is the fix itself.",
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      siteA: {
        check: check.all(check.not(toTraefik), check.passes()),
        because: 'HTTPS to site-a.test must reach site A, not traefik (nor a blackhole)',
      },
      siteB: {
        check: check.all(check.not(toTraefik), check.passes()),
        because:
          'HTTPS to any other outside host (site-b.test) must go to that host, not to traefik: a fix for one site only is a workaround',
      },
    },
    controls: {
      listeners: {
        check: check.listenerTo(TRAEFIK_CLUSTER),
        because:
          "the generated entry is how istio-demo's pods reach traefik.cutom-name: its 443 listener must stay (on traefik's address, or SNI-matched), " +
          'not disappear because the entry was deleted or hidden from the client',
      },
    },
    keeps: [
      { kind: 'ServiceEntry', namespace: 'istio-demo', because: 'the traefik entry is generated and in use: correct it, do not delete it' },
    ],
    evidence: ['analysis'],
    hints: [
      "Every outside HTTPS host answers with the same *.example.com certificate. Which listener of curl's sidecar takes a connection to port 443?",
      "curl's listeners on 443 include a 0.0.0.0 row matching ALL, sent to outbound|443||traefik.cutom-name. Which object makes it, and why does it match every destination?",
      "The ServiceEntry traefik-cutom-name has no addresses and a TCP port 443: Istio binds it to 0.0.0.0. Give it traefik's ClusterIP as its address (or declare the port TLS, so it matches by SNI); keep the entry.",
    ],
    judges:
      "Istio and Kubernetes objects you write (ServiceEntry, Sidecar, …), by where Istio's own code sends curl's HTTPS to each site and " +
      'whether curl still has a listener for traefik.cutom-name',
    cannotJudge:
      "which certificate a site presents and what it answers (data plane), and changes on the client side (curl's URL, its trust store)",
  },
});
