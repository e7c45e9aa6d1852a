import { cert, check, defineScenario, EXAMPLE_CA, phaseSpecific, probe, secret } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

// Both credentials exist in every phase: only the Gateway differs between broken and fixed.
const credentials = [secret.credential('httpbin-multi-credential', 'httpbin'), secret.credential('helloworld-credential', 'helloworld')];
// Config level: the 443 chain the SNI selects (each Gateway server has its own route config),
// the route behind it and the certificate istiod's SDS serves for that chain's credential.
const chain = (server: string, host: string, cluster: string, credential: string, subject: RegExp) =>
  check.all(
    check.lands({
      at: 'gateway',
      listener: '0.0.0.0_8443',
      routeConfig: `https.443.${server}.mygateway.ingress-tls-multi`,
      virtualHost: `${host}:443`,
      cluster,
      servedSecret: `kubernetes://${credential}`,
    }),
    check.servesCertificate({ subject }),
  );
const HELLO = 'outbound|5000||helloworld.ingress-tls-multi.svc.cluster.local';
const HTTPBIN = 'outbound|8000||httpbin.ingress-tls-multi.svc.cluster.local';
const httpbinAnswers = check.all(check.status(418), check.certSubject(/CN=httpbin\.example\.com/));

export default defineScenario({
  id: 'ingress-tls-multiple-hosts',
  title: 'Several HTTPS hosts on one ingress gateway: one server and one credential per host',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom:
    'httpbin.example.com works over HTTPS, but https://helloworld.example.com/hello fails: the certificate served ' +
    'names httpbin.example.com only.',
  cause:
    'The Gateway lists both hosts in ONE HTTPS server whose credentialName is httpbin-multi-credential; a server has a single ' +
    "certificate, so Envoy serves httpbin's certificate for the helloworld SNI too.",
  fix:
    'Two servers on port 443 with unique port names (https-httpbin, https-helloworld), each with its own host and ' +
    "credentialName. Duplicate port names in one Gateway are rejected by Istio's validation.",
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [
    { name: 'httpbin', namespace: 'ingress-tls-multi' },
    { name: 'helloworld', namespace: 'ingress-tls-multi' },
  ],
  certificates: [
    EXAMPLE_CA,
    cert.server('httpbin', 'httpbin.example.com', { organization: 'httpbin organization' }),
    cert.server('helloworld', 'helloworld.example.com', { organization: 'helloworld organization' }),
  ],
  probes: {
    hello: probe.ingress({ url: 'https://helloworld.example.com/hello', ca: 'example-ca', timeoutMs: 15_000 }),
    teapot: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca' }),
  },
  phases: {
    broken: {
      summary: "One HTTPS server for both hosts with httpbin's credential: helloworld gets the wrong certificate.",
      apply: ['common/virtualservices.yaml', 'broken/gateway.yaml'],
      secrets: credentials,
      expect: {
        hello: phaseSpecific(
          check.ingressError('name-mismatch'),
          'a verified certificate for the wrong name at the helloworld SNI comes only from one server holding both hosts',
        ),
        teapot: httpbinAnswers,
      },
      evidence: ['served-certificate:hello', 'gateway-config'],
      config: {
        expect: {
          // One server ("https") for both SNIs: helloworld's route is there, behind httpbin's certificate.
          hello: chain('https', 'helloworld.example.com', HELLO, 'httpbin-multi-credential', /CN=httpbin\.example\.com/),
          teapot: chain('https', 'httpbin.example.com', HTTPBIN, 'httpbin-multi-credential', /CN=httpbin\.example\.com/),
        },
        dataPlaneOnly: "the client's name check failing on that certificate (name mismatch), and the 418",
      },
    },
    fixed: {
      summary: 'Two servers, https-httpbin and https-helloworld, each with its own credential: SNI picks the certificate.',
      apply: ['common/virtualservices.yaml', 'fixed/gateway.yaml'],
      secrets: credentials,
      expect: {
        hello: phaseSpecific(
          check.all(check.status(200), check.bodyStartsWith('Hello version: v1'), check.certSubject(/CN=helloworld\.example\.com/)),
          "helloworld's own certificate is served only by the second server of this phase's Gateway",
        ),
        teapot: httpbinAnswers,
      },
      evidence: ['served-certificate:hello', 'served-certificate:teapot', 'gateway-config'],
      config: {
        expect: {
          hello: chain('https-helloworld', 'helloworld.example.com', HELLO, 'helloworld-credential', /CN=helloworld\.example\.com/),
          teapot: chain('https-httpbin', 'httpbin.example.com', HTTPBIN, 'httpbin-multi-credential', /CN=httpbin\.example\.com/),
        },
        dataPlaneOnly: 'the responses (helloworld\'s "Hello version: v1", httpbin\'s 418) and the verified handshakes',
      },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe (server
  // names, one Gateway or two).
  workshop: {
    outcome: {
      hello: {
        check: check.all(
          check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: HELLO }),
          check.servesCertificate({ subject: /CN=helloworld\.example\.com/, issuer: /CN=example\.com/ }),
        ),
        because:
          "https://helloworld.example.com must reach helloworld, and the gateway must serve helloworld's own certificate at that SNI, " +
          'issued by the CA the client trusts (example.com)',
      },
    },
    controls: {
      teapot: {
        check: check.all(
          check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: HTTPBIN }),
          check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }),
        ),
        because:
          "httpbin.example.com must keep working with its own certificate: giving the shared server helloworld's credential only " +
          'moves the name mismatch to httpbin',
      },
    },
    hints: [
      "httpbin.example.com works; helloworld.example.com fails the client's name check, not the route. Which certificate does the gateway present at the helloworld SNI?",
      'A Gateway server has exactly one credentialName, and every host of that server gets its certificate. How many HTTPS servers does this Gateway have?',
      'Give each host its own server on port 443 with its own credentialName (helloworld-credential for helloworld.example.com) and a unique port name, such as https-httpbin and https-helloworld.',
    ],
    judges:
      "Gateway, VirtualService and Secret objects you write (a Secret names this scenario's certificates as ${certificate.<name>.crt|key|ca}), " +
      'by the 443 filter chain each SNI selects, the route behind it and the certificate istiod would serve there',
    cannotJudge:
      "the responses themselves and the client's name check (data plane), changes on the client side (curl's --cacert, " +
      "--resolve or -k), a certificate you make yourself, or the gateway's Deployment",
  },
});
