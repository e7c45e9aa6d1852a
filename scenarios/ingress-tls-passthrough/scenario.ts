import { cert, check, defineScenario, EXAMPLE_CA, phaseSpecific, probe, secret } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

// nginx terminates TLS itself with this Secret (mounted by manifests/workloads/nginx.yaml). It is
// created in `setup`, before the Deployment, so nginx starts with it: a Secret that appears after
// the pod started reaches its volume only at the kubelet's next sync (60-90 s), most of a phase's
// settle window.
const nginxCerts = [secret.tls('nginx-server-certs', 'ingress-passthrough', 'nginx')];

const NGINX = 'outbound|443||nginx.ingress-passthrough.svc.cluster.local';

export default defineScenario({
  id: 'ingress-tls-passthrough',
  title: 'Ingress gateway without TLS termination (PASSTHROUGH, routed by SNI)',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom:
    'Through a Gateway with tls.mode PASSTHROUGH for nginx.example.com, curl https://nginx.example.com fails before ' +
    'the TLS handshake completes.',
  cause:
    'A PASSTHROUGH server forwards the encrypted stream by SNI and needs a VirtualService `tls` route matching that SNI. ' +
    'An `http` route (copied from a TLS-terminating setup) never applies, so the gateway has nowhere to send the stream.',
  fix:
    'A VirtualService with tls: match [{port: 443, sniHosts: [nginx.example.com]}] routing to nginx:443. The certificate the ' +
    "client sees is nginx's own (CN=nginx.example.com), not the gateway's.",
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'nginx', namespace: 'ingress-passthrough' }],
  setup: { secrets: nginxCerts },
  certificates: [EXAMPLE_CA, cert.server('nginx', 'nginx.example.com', { organization: 'some organization' })],
  probes: {
    welcome: probe.ingress({ url: 'https://nginx.example.com/', ca: 'example-ca' }),
    // The same host on the Gateway's port-80 server, where only an `http` route can bind.
    plainWelcome: probe.ingress({ url: 'http://nginx.example.com/', timeoutMs: 10_000 }),
  },
  phases: {
    broken: {
      summary: 'PASSTHROUGH Gateway with an `http` route only: no TLS route for the SNI, the gateway closes the connection.',
      apply: ['common/gateway.yaml', 'broken/virtualservice.yaml'],
      expect: {
        // The broken VirtualService's http route binds to port 80: nginx answers plain HTTP on its
        // TLS port with 400 (503 is still accepted for a gateway that reaches nginx before it
        // listens). Either is not the gateway's own 404 for a host without a route, so the broken
        // route reached the gateway and the reset on 443 is the missing tls route, not missing config.
        plainWelcome: phaseSpecific(
          check.status([400, 503]),
          'only the broken VirtualService has an http route, and only an http route serves port 80',
        ),
        welcome: check.ingressError(['reset-before-tls', 'refused']),
      },
      evidence: ['gateway-config', 'gateway-log'],
      config: {
        expect: {
          // Without a tls route istiod drops the PASSTHROUGH server: the gateway has no 8443
          // listener at all. The http route binds to port 80 only, and lands on nginx's 443.
          welcome: check.stopsWith('no listener matched', 'gateway'),
          plainWelcome: check.lands({ at: 'gateway', listener: '0.0.0.0_8080', virtualHost: 'nginx.example.com:80', cluster: NGINX }),
        },
        dataPlaneOnly: "how the client sees the missing listener (refused, or a reset through the port mapping) and nginx's 400 on port 80",
      },
      predicted:
        'With no TLS route the 443 server has no filter chain; the gateway either has no 8443 listener (refused, or a ' +
        "reset through the port mapping) or closes on the unmatched SNI (inferred from Istio's source, not yet seen on a cluster).",
    },
    fixed: {
      summary: "A tls route on sniHosts nginx.example.com: nginx's own certificate and its welcome page.",
      apply: ['common/gateway.yaml', 'fixed/virtualservice.yaml'],
      expect: {
        welcome: phaseSpecific(
          check.all(
            check.status(200),
            check.bodyIncludes('Welcome to nginx!'),
            check.certSubject(/CN=nginx\.example\.com/),
            check.certIssuer(/CN=example\.com/),
          ),
          "nginx's own certificate reaches the client only through this phase's tls route",
        ),
      },
      evidence: ['served-certificate:welcome', 'gateway-config'],
      config: {
        expect: {
          // An SNI chain straight to nginx's cluster, with no TLS context of the gateway's own:
          // the stream is not terminated, nginx serves its certificate.
          welcome: check.all(
            check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: NGINX }),
            check.not(check.lands({ at: 'gateway', servedSecret: /./ })),
          ),
        },
        dataPlaneOnly: "nginx's own certificate (CN=nginx.example.com) and its welcome page, served from inside the pod",
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      welcome: {
        check: check.all(
          check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: NGINX }),
          check.not(check.lands({ at: 'gateway', servedSecret: /./ })),
        ),
        because:
          'https://nginx.example.com must reach nginx:443 with the TLS stream untouched: the gateway forwards it by SNI and serves ' +
          "no certificate of its own, so the client meets nginx's",
      },
    },
    controls: {
      plainWelcome: {
        check: check.not(check.lands({ at: 'gateway', cluster: NGINX })),
        because:
          "no route may send plain HTTP to nginx's TLS port 443 (nginx answers every such request 400): an http route left " +
          'beside the tls route does exactly that on port 80',
      },
    },
    hints: [
      'The connection to 443 is closed before any certificate is seen, while port 80 reaches nginx. Which kind of route can a server that never decrypts use?',
      'A PASSTHROUGH server cannot read HTTP paths or headers: only the SNI of the ClientHello. The VirtualService has an http route and no tls route.',
      'Replace the http route with a tls route: match port 443 and sniHosts [nginx.example.com], destination nginx port 443.',
    ],
    judges:
      "Istio objects you write (Gateway, VirtualService, DestinationRule), by the gateway's 443 filter chain for the SNI, the cluster it " +
      'forwards to and whether the gateway terminates TLS there',
    cannotJudge:
      "nginx's own certificate and its welcome page (served from inside the pod: data plane), the nginx Deployment and its " +
      "Secret, and changes on the client side (curl's --cacert or --resolve)",
  },
});
