import { cert, check, defineScenario, EXAMPLE_CA, phaseSpecific, probe, secret } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

export default defineScenario({
  id: 'ingress-tls-simple',
  title: 'Secure ingress gateway (SIMPLE TLS): the credential must live beside the gateway pods',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom:
    'curl --resolve httpbin.example.com:443:<ingress> --cacert example.com.crt https://httpbin.example.com/status/418 ' +
    'fails in the TLS handshake; the gateway presents no certificate.',
  cause:
    'credentialName is resolved in the namespace of the gateway workload (istio-ingressgateway in istio-system), not ' +
    "in the Gateway resource's namespace. A Secret beside the Gateway is invisible to the gateway, so its HTTPS server " +
    'has no certificate.',
  fix: 'Create the TLS Secret (tls.crt/tls.key) in istio-system under the name the Gateway gives in credentialName.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-tls-simple' }],
  certificates: [EXAMPLE_CA, cert.server('httpbin', 'httpbin.example.com', { organization: 'httpbin organization' })],
  probes: {
    teapot: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca' }),
    // The same host over plain HTTP (the Gateway's port-80 server): the positive control of `broken`.
    plainTeapot: probe.ingress({ url: 'http://httpbin.example.com/status/418' }),
  },
  phases: {
    broken: {
      summary: "The Secret is created in the Gateway's namespace (ingress-tls-simple): the gateway has no certificate to serve.",
      apply: ['common/gateway.yaml', 'common/virtualservice.yaml'],
      secrets: [secret.tls('httpbin-simple-credential', 'ingress-tls-simple', 'httpbin')],
      expect: {
        // A reset on 443 is also what a gateway with no config at all, a rejected Gateway or a dead
        // port mapping gives: the 418 on port 80 proves the Gateway and route are live.
        plainTeapot: phaseSpecific(
          check.status(418),
          "httpbin.example.com is routed only once this phase's Gateway and VirtualService reached the gateway",
        ),
        teapot: check.ingressError(['reset-before-tls', 'refused', 'handshake-alert']),
      },
      evidence: ['gateway-secrets', 'gateway-log', 'gateway-config'],
      config: {
        expect: {
          // The route is there on both ports; the 8443 chain names the credential, and istiod's
          // SDS, looking in the gateway's own namespace, has nothing to answer with.
          plainTeapot: check.lands({
            at: 'gateway',
            listener: '0.0.0.0_8080',
            cluster: 'outbound|8000||httpbin.ingress-tls-simple.svc.cluster.local',
          }),
          teapot: check.all(
            check.lands({ at: 'gateway', listener: '0.0.0.0_8443', servedSecret: 'kubernetes://httpbin-simple-credential' }),
            check.servesNoCertificate(),
          ),
        },
        dataPlaneOnly: 'how the handshake then fails (reset before TLS, curl exit 35)',
      },
      predicted:
        'Without its SDS secret the 443 listener cannot complete a handshake: the connection is expected to be closed ' +
        'before TLS completes (curl: "SSL_ERROR_SYSCALL", exit 35), or refused while the listener warms ' +
        "(inferred from Istio's source, not yet seen on a cluster).",
    },
    fixed: {
      summary: 'The same Secret in istio-system: 418 from httpbin, certificate CN=httpbin.example.com issued by CN=example.com.',
      apply: ['common/gateway.yaml', 'common/virtualservice.yaml'],
      secrets: [secret.credential('httpbin-simple-credential', 'httpbin')],
      expect: {
        teapot: phaseSpecific(
          check.all(check.status(418), check.certSubject(/CN=httpbin\.example\.com/), check.certIssuer(/CN=example\.com/)),
          "the chain verifies against this run's example-ca, carried only by the Secret this phase puts in istio-system under this scenario's own name",
        ),
      },
      evidence: ['served-certificate:teapot', 'gateway-secrets'],
      config: {
        expect: {
          teapot: check.all(
            check.lands({
              at: 'gateway',
              listener: '0.0.0.0_8443',
              cluster: 'outbound|8000||httpbin.ingress-tls-simple.svc.cluster.local',
            }),
            check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }),
          ),
        },
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      teapot: {
        check: check.all(
          check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: /^outbound\|8000\|\|httpbin\.ingress-tls-simple/ }),
          check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }),
        ),
        because:
          'https://httpbin.example.com must reach httpbin, and the gateway must serve a certificate for that name, issued by the CA the client trusts (example.com)',
      },
    },
    controls: {
      plainTeapot: {
        check: check.lands({ at: 'gateway', listener: '0.0.0.0_8080', cluster: /^outbound\|8000\|\|httpbin\.ingress-tls-simple/ }),
        because: 'the plain-HTTP server for the same host must keep routing to httpbin',
      },
    },
    hints: [
      'The route works over plain HTTP; only HTTPS fails, before any HTTP is exchanged. What does the gateway need to complete a TLS handshake?',
      'The Gateway names its certificate by credentialName. Whose namespace does the gateway proxy look in for that Secret?',
      "The gateway reads credentials from its own namespace (istio-system), not from the Gateway resource's. Put the Secret there, under the same name.",
    ],
    judges:
      "Gateway, VirtualService and Secret objects you write (a Secret names this scenario's certificates as ${certificate.<name>.crt|key|ca}), by what istiod's code would configure and serve on the gateway",
    cannotJudge: "changes on the client side (curl's --cacert or --resolve), a certificate you make yourself, or the gateway's Deployment",
  },
});
