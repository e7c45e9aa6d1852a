import { cert, check, defineScenario, EXAMPLE_CA, phaseSpecific, probe, secret } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

const teapotFromHttpbin = check.all(check.status(418), check.certSubject(/CN=httpbin\.example\.com/));
const refusedWithoutClientCert = check.ingressError(['certificate-required', 'handshake-alert']);
// The MUTUAL Gateway is the same in broken and in both fixes (the fix is on the client's side).
const mutualGateway = ['common/virtualservice.yaml', 'common/mutual-gateway.yaml'];
// Config level: the gateway's 443 chain for httpbin.example.com, its route and its credential.
const HTTPBIN = 'outbound|8000||httpbin.ingress-mtls.svc.cluster.local';
const onHttps = (credential: string, requiresClientCertificate: boolean) =>
  check.all(
    check.lands({
      at: 'gateway',
      listener: '0.0.0.0_8443',
      virtualHost: 'httpbin.example.com:443',
      cluster: HTTPBIN,
      servedSecret: `kubernetes://${credential}`,
      requiresClientCertificate,
    }),
    check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }),
  );
const OWN_CA =
  "the served chain verifies against this run's example-ca, which only this scenario's Secrets carry, under a name no other scenario uses";

export default defineScenario({
  id: 'ingress-mutual-tls',
  title: 'Mutual TLS at the ingress gateway: no client certificate, no handshake',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom:
    'With tls.mode MUTUAL, curl --cacert example.com.crt https://httpbin.example.com/status/418 fails in the handshake ' +
    '(NSS: "client certificate not found"; OpenSSL: "tlsv13 alert certificate required").',
  cause:
    'In MUTUAL mode the gateway requests a client certificate and verifies it against the CA stored with the credential. ' +
    'A client that sends none is refused during the handshake.',
  fix: 'Send a client certificate signed by that CA (curl --cert client.example.com.crt --key client.example.com.key).',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-mtls' }],
  certificates: [
    EXAMPLE_CA,
    cert.server('httpbin', 'httpbin.example.com', { organization: 'httpbin organization' }),
    cert.client('client', 'client.example.com'),
  ],
  probes: {
    noClientCert: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca' }),
    withClientCert: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca', clientCert: 'client' }),
  },
  phases: {
    'control-simple-tls': {
      summary: 'The same gateway in SIMPLE mode: a client without a certificate gets 418.',
      apply: ['common/virtualservice.yaml', 'control-simple-tls/gateway.yaml'],
      secrets: [secret.credential('httpbin-mtls-credential', 'httpbin')],
      expect: { noClientCert: phaseSpecific(teapotFromHttpbin, `${OWN_CA}; no client certificate is asked for only on the SIMPLE server`) },
      evidence: ['served-certificate:noClientCert'],
      config: {
        expect: { noClientCert: onHttps('httpbin-mtls-credential', false) },
        dataPlaneOnly: "the handshake and httpbin's 418",
      },
    },
    broken: {
      summary: 'MUTUAL with ca.crt in the credential: the client without a certificate is refused in the handshake.',
      apply: mutualGateway,
      secrets: [secret.credential('httpbin-mtls-credential', 'httpbin', { ca: 'example-ca' })],
      expect: {
        // The positive control: the MUTUAL server with this phase's credential is live, so the
        // refusal below is about the missing client certificate, not an absent listener.
        withClientCert: phaseSpecific(
          teapotFromHttpbin,
          `${OWN_CA}, and the client certificate is verified against the ca.crt of the same Secret`,
        ),
        noClientCert: refusedWithoutClientCert,
      },
      evidence: ['gateway-log', 'gateway-secrets'],
      config: {
        expect: {
          // The same chain now asks for a client certificate and trusts the CA that istiod's SDS
          // serves as <credentialName>-cacert (the ca.crt key of the same Secret).
          noClientCert: check.all(
            onHttps('httpbin-mtls-credential', true),
            check.validatesClientsWith({ secret: 'kubernetes://httpbin-mtls-credential-cacert', subject: /CN=example\.com/ }),
          ),
        },
        dataPlaneOnly:
          'the refusal of a client without a certificate (TLS 1.3 certificate_required alert) and the 418 for one with it: ' +
          'the simulation verifies no client certificate',
      },
      predicted:
        'Envoy over TLS 1.3 sends the certificate_required alert after the handshake, so the client sees it on its ' +
        'first read (curl exit 56, "tlsv13 alert certificate required"); a TLS 1.2 client sees a handshake failure alert ' +
        '(inferred, not yet seen on a cluster).',
    },
    fixed: {
      summary: 'Same MUTUAL gateway; the client presents client.example.com signed by the CA: 418. Without it, still refused.',
      apply: mutualGateway,
      secrets: [secret.credential('httpbin-mtls-credential', 'httpbin', { ca: 'example-ca' })],
      expect: { withClientCert: phaseSpecific(teapotFromHttpbin, OWN_CA), noClientCert: refusedWithoutClientCert },
      evidence: ['served-certificate:withClientCert'],
      // No config expectations: the fix is the client's certificate (curl --cert/--key). The
      // gateway's config is broken's, byte for byte, so config cannot tell the two phases apart.
      config: {
        expect: {},
        dataPlaneOnly:
          'the fix is on the client (it presents client.example.com, signed by example-ca); the gateway config is the broken ' +
          "phase's, and the simulation verifies no client certificate",
      },
    },
    'fixed-separate-cacert-secret': {
      summary: 'The CA in its own Secret httpbin-split-credential-cacert (key cacert), cert/key in a generic Secret: same result.',
      // Its own credential name: under the previous phase's name the draining listener's secrets
      // (same leaf, same CA) would pass even if Istio ignored this Secret layout.
      apply: ['common/virtualservice.yaml', 'fixed-separate-cacert-secret/gateway.yaml'],
      secrets: [
        secret.generic('httpbin-split-credential', 'istio-system', 'httpbin'),
        secret.cacert('httpbin-split-credential-cacert', 'istio-system', 'example-ca'),
      ],
      expect: {
        withClientCert: phaseSpecific(
          teapotFromHttpbin,
          'only this phase creates httpbin-split-credential (cert/key) and its -cacert Secret, the names its Gateway asks for',
        ),
        noClientCert: refusedWithoutClientCert,
      },
      evidence: ['gateway-secrets'],
      config: {
        expect: {
          // The other Secret layout: cert/key in a generic Secret, the CA in its own
          // httpbin-split-credential-cacert; istiod finds both under the names the chain asks for.
          withClientCert: check.all(
            onHttps('httpbin-split-credential', true),
            check.validatesClientsWith({ secret: 'kubernetes://httpbin-split-credential-cacert', subject: /CN=example\.com/ }),
          ),
        },
        dataPlaneOnly:
          'the handshakes themselves (418 with the client certificate, refused without): the simulation verifies no client certificate',
      },
    },
  },
  // `casebook check` / `casebook workshop`. From `broken`, the fix is the client's certificate and
  // the gateway's objects stay broken's: nothing config could judge. What config does decide is the
  // write-up's server side, so the workshop starts from the SIMPLE gateway (control-simple-tls) and
  // asks for MUTUAL TLS done right: both fixed phases' objects (ca.crt in the credential; the CA in
  // <credentialName>-cacert) are accepted, the SIMPLE gateway is rejected.
  workshop: {
    from: 'control-simple-tls',
    task:
      'the gateway in your workspace serves https://httpbin.example.com with SIMPLE TLS. Make it MUTUAL, the way the write-up ' +
      'set out to: every client must present a certificate signed by example-ca, and a client that does must reach httpbin.',
    fixes: ['fixed', 'fixed-separate-cacert-secret'],
    outcome: {
      noClientCert: {
        check: check.lands({ at: 'gateway', listener: '0.0.0.0_8443', requiresClientCertificate: true }),
        because:
          'the task: the gateway must ask every client of https://httpbin.example.com for a certificate (MUTUAL), so a client without one is refused',
      },
      withClientCert: {
        check: check.all(
          check.lands({ at: 'gateway', listener: '0.0.0.0_8443', cluster: HTTPBIN }),
          check.validatesClientsWith({ subject: /CN=example\.com/ }),
        ),
        because:
          'a client presenting client.example.com (signed by example-ca) must be verified against that CA, which istiod must find ' +
          'with the credential, and reach httpbin',
      },
    },
    controls: {
      noClientCert: {
        check: check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/ }),
        because:
          "mutual TLS adds a check of the client and changes nothing the server presents: the gateway must still serve httpbin's " +
          "own certificate, not the client's",
      },
    },
    hints: [
      'The gateway terminates TLS for httpbin.example.com and asks nothing of the client. Which tls.mode makes a Gateway server request a client certificate?',
      'MUTUAL needs a CA to verify clients against, and a Gateway has no field for it: istiod looks for it with the credential. Where, for credentialName httpbin-mtls-credential?',
      'Set tls.mode MUTUAL and give the CA (${certificate.example-ca.ca}) either as ca.crt in httpbin-mtls-credential or as key cacert of a Secret httpbin-mtls-credential-cacert, both in istio-system. ' +
        'The clients then present client.example.com.',
    ],
    judges:
      "the write-up's server side, starting from its SIMPLE gateway (the workspace holds control-simple-tls): Gateway, VirtualService and " +
      "Secret objects you write (a Secret names this scenario's certificates as ${certificate.<name>.crt|key|ca}), by whether the gateway's " +
      '443 chain asks for a client certificate, the CA istiod finds to verify it, the certificate served and the route to httpbin',
    cannotJudge:
      "the incident's own fix, on the client side (curl --cert/--key with client.example.com: the gateway's objects are then " +
      "broken's), and every handshake itself (the simulation verifies no client certificate: the refusal and the 418 are data plane)",
  },
});
