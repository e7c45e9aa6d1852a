import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

const HTTPBIN = 'outbound|8000||httpbin.ingress-wildcard.svc.cluster.local';
const onPort80 = { at: 'gateway', listener: '0.0.0.0_8080', routeConfig: 'http.8080' } as const;

export default defineScenario({
  id: 'ingress-wildcard-host-for-browsers',
  title: 'Ingress gateway from a browser: a host-specific Gateway answers 404, hosts "*" works',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom: 'A browser opening http://<ingress address>/headers gets 404 while curl with `-H Host: httpbin.example.com` works.',
  cause:
    'The Gateway and VirtualService only serve httpbin.example.com. A browser sends `Host: <ingress address>`, ' +
    'which matches no virtual host on the gateway.',
  fix: 'Use hosts "*" on both the Gateway and the VirtualService, routing /headers to httpbin:8000.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-wildcard' }],
  probes: {
    // Chromium through the gateway's address: no way to name httpbin.example.com.
    page: probe.browser({ path: '/headers' }),
    // What the tutorial's curl does: the same path with the Host header set.
    withHost: probe.ingress({ url: 'http://httpbin.example.com/headers' }),
  },
  phases: {
    broken: {
      summary: 'Host-specific Gateway and VirtualService: curl with the Host header gets 200, the browser gets 404.',
      apply: ['broken/gateway-and-virtualservice.yaml'],
      expect: {
        page: check.status(404),
        // The positive control: the host-specific route is live, so the browser's 404 is about its
        // Host header and not a route table with nothing in it yet.
        withHost: phaseSpecific(
          check.status(200),
          "httpbin.example.com is routed only once this phase's Gateway and VirtualService reached the gateway",
        ),
      },
      evidence: ['gateway-config'],
      config: {
        expect: {
          // The browser's Host is the ingress address: no virtual host has it.
          page: check.stopsWith('no virtual host matched', 'gateway'),
          withHost: check.lands({ ...onPort80, virtualHost: 'httpbin.example.com:80', cluster: HTTPBIN }),
        },
        dataPlaneOnly: "Envoy's 404 page in the browser, httpbin's 200",
      },
    },
    fixed: {
      summary: 'hosts "*" on both: the browser shows httpbin\'s JSON list of the request headers.',
      apply: ['fixed/gateway-and-virtualservice.yaml'],
      expect: {
        page: phaseSpecific(
          check.all(check.status(200), check.pageText(/"headers"\s*:/), check.pageText(/"User-Agent"/)),
          'a request with the ingress address as Host is routed only by this phase\'s hosts "*"',
        ),
        withHost: check.status(200),
      },
      evidence: ['gateway-config'],
      predicted:
        'go-httpbin (Istio\'s httpbin since 1.24) answers /headers with {"headers": {"Name": [values]}}; Chromium shows ' +
        'the JSON as page text (the exact rendering not yet seen on a cluster).',
      config: {
        expect: {
          page: check.lands({ ...onPort80, virtualHost: '*:80', cluster: HTTPBIN }),
          withHost: check.lands({ ...onPort80, virtualHost: '*:80', cluster: HTTPBIN }),
        },
        dataPlaneOnly: "the page Chromium renders (httpbin's JSON of the request headers)",
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      page: {
        check: check.lands({ ...onPort80, cluster: HTTPBIN }),
        because: "a browser opening /headers at the gateway's address (Host: that address, which it cannot change) must reach httpbin:8000",
      },
    },
    controls: {
      withHost: {
        check: check.lands({ ...onPort80, cluster: HTTPBIN }),
        because:
          "clients that name httpbin.example.com (the tutorial's curl) must keep reaching httpbin: naming only the address " +
          'the browser happens to use trades one Host for another',
      },
    },
    hints: [
      'curl with -H "Host: httpbin.example.com" gets 200 and the browser gets the gateway\'s own 404 on the same path. What differs between the two requests?',
      'The browser sends the address it was given as Host. The gateway routes by Host only to the hosts both the Gateway and the VirtualService name.',
      'Use hosts "*" on BOTH the Gateway server and the VirtualService (the VirtualService alone is not enough), keeping the /headers route to httpbin:8000.',
    ],
    judges:
      "Istio objects you write (Gateway, VirtualService), by the gateway's port-80 virtual host each request's Host selects and the cluster it reaches",
    cannotJudge:
      'the page the browser renders and the status codes (data plane), and changes on the client side (the URL typed, ' +
      "a hosts-file entry, curl's Host header)",
  },
});
