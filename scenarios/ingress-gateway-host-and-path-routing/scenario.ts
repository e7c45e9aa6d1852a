import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

const fromEnvoy = check.header('server', 'istio-envoy');
// The Service's cluster as istiod names it: the VirtualService's short host `httpbin` resolved in its namespace.
const HTTPBIN = 'outbound|8000||httpbin.ingress-routing.svc.cluster.local';
const onPort80 = { at: 'gateway', listener: '0.0.0.0_8080', routeConfig: 'http.8080' } as const;

export default defineScenario({
  id: 'ingress-gateway-host-and-path-routing',
  title: 'Ingress gateway: host and path routing (httpbin.example.com, /status and /delay)',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom: 'curl -H "Host: httpbin.example.com" http://<ingress>/status/200 answers 404 with `server: istio-envoy`.',
  cause:
    'A VirtualService only serves a Gateway for the hosts both name: bound to httpbin-gateway but naming `httpbin`, it ' +
    'adds no route for httpbin.example.com, and the gateway answers with its default 404 virtual host.',
  fix:
    'Name httpbin.example.com in the VirtualService hosts. /status/* and /delay/* are then routed to httpbin:8000; other ' +
    'paths such as /headers stay 404 by design.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-routing' }],
  probes: {
    status200: probe.ingress({ url: 'http://httpbin.example.com/status/200' }),
    delay: probe.ingress({ url: 'http://httpbin.example.com/delay/1', timeoutMs: 10_000 }),
    headers: probe.ingress({ url: 'http://httpbin.example.com/headers' }),
    control: probe.ingress({ url: 'http://control.example.com/status/200' }),
  },
  phases: {
    broken: {
      summary: 'The VirtualService names `httpbin` instead of httpbin.example.com: the gateway has no route for the public host.',
      apply: ['common/gateway.yaml', 'broken/virtualservice.yaml', 'broken/control-virtualservice.yaml'],
      expect: {
        // The 404 below is also an empty route table: the control host proves the routes arrived.
        control: phaseSpecific(
          check.all(check.status(200), fromEnvoy),
          "control.example.com is routed only by this phase's control VirtualService",
        ),
        status200: check.all(check.status(404), fromEnvoy),
      },
      evidence: ['gateway-config', 'gateway-log'],
      config: {
        expect: {
          // The route table of port 80 holds the control host only: httpbin.example.com has no
          // virtual host (Envoy's 404 with flag NR), and Istio's analyzer names the mismatch.
          control: check.lands({ ...onPort80, virtualHost: 'control.example.com:80', cluster: HTTPBIN }),
          status200: check.stopsWith('no virtual host matched', 'gateway'),
          analysis: check.analyzer('IST0132', /httpbin/),
        },
        dataPlaneOnly: 'that Envoy answers the unmatched host itself: 404 with server: istio-envoy (flag NR), httpbin never sees it',
      },
    },
    fixed: {
      summary: 'VirtualService hosts = httpbin.example.com: /status/200 and /delay/1 answer 200, /headers is a 404 from Envoy.',
      apply: ['common/gateway.yaml', 'fixed/virtualservice.yaml'],
      expect: {
        status200: phaseSpecific(
          check.all(check.status(200), fromEnvoy),
          'httpbin.example.com is routed only by the VirtualService naming that host',
        ),
        delay: check.status(200),
        headers: check.all(check.status(404), fromEnvoy),
      },
      evidence: ['gateway-config'],
      config: {
        expect: {
          // httpbin.example.com now has a virtual host with the /status and /delay prefixes;
          // /headers finds the host but no route (the intended 404).
          status200: check.lands({ ...onPort80, virtualHost: 'httpbin.example.com:80', cluster: HTTPBIN }),
          delay: check.lands({ ...onPort80, virtualHost: 'httpbin.example.com:80', cluster: HTTPBIN }),
          headers: check.stopsWith('no route matched', 'gateway'),
          analysis: check.noAnalyzer('IST0132'),
        },
        dataPlaneOnly: "the status codes themselves (httpbin's 200, the one-second delay, Envoy's 404 for /headers)",
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      status200: {
        check: check.all(check.lands({ ...onPort80, cluster: HTTPBIN }), check.passes()),
        because: "http://httpbin.example.com/status/200 through the gateway must reach httpbin:8000 instead of the gateway's default 404",
      },
      delay: {
        check: check.all(check.lands({ ...onPort80, cluster: HTTPBIN }), check.passes()),
        because: '/delay/* on httpbin.example.com must reach httpbin:8000 too',
      },
    },
    controls: {
      headers: {
        check: check.stopsWith('no route matched', 'gateway'),
        because:
          'only /status and /delay are published: /headers must stay a 404 from the gateway; routing every path to httpbin exposes what was never meant to be public',
      },
    },
    hints: [
      'The gateway answers 404 itself (server: istio-envoy), and httpbin never sees the request. Does the gateway have any route for the Host httpbin.example.com?',
      "A VirtualService bound to a Gateway serves only the hosts both of them name. Compare the Gateway's hosts with the VirtualService's.",
      'The VirtualService names `httpbin` (the Service), not the public host. Put httpbin.example.com in its hosts; keep the /status and /delay matches.',
    ],
    judges:
      "Istio objects you write (Gateway, VirtualService), by the gateway's virtual hosts and routes for each URL and the cluster they reach",
    cannotJudge:
      "the status codes and bodies themselves (httpbin's 200, the delay, Envoy's 404: data plane), and changes on the client side (the Host header, the URL)",
  },
});
