import { cert, check, defineScenario, EXAMPLE_CA, phaseSpecific, probe, secret } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

const httpbinCert = (name: string, ca: string) => cert.server(name, 'httpbin.example.com', { ca, organization: 'httpbin organization' });
const CREDENTIAL = 'httpbin-rotation-credential';
const credential = (certificate: string) => [secret.credential(CREDENTIAL, certificate)];
// 418 from the leaf with this fingerprint: subject and issuer are the same before and after the
// rotation, so only the fingerprint tells the first certificate from the rotated one.
const serves418 = (cert: 'httpbin' | 'httpbin-rotated') =>
  check.all(check.status(418), check.certIssuer(/CN=example\.com/), check.certIs(cert));
const identify = ['httpbin', 'httpbin-rotated'];
// Config level: the gateway's 443 chain names the credential, and istiod's SDS answers it with
// the run's certificate of this fingerprint (the same subject and issuer name before and after).
const servesAtConfig = (cert: 'httpbin' | 'httpbin-rotated') =>
  check.all(
    check.lands({
      at: 'gateway',
      listener: '0.0.0.0_8443',
      virtualHost: 'httpbin.example.com:443',
      cluster: 'outbound|8000||httpbin.ingress-tls-rotation.svc.cluster.local',
      servedSecret: `kubernetes://${CREDENTIAL}`,
    }),
    check.servesCertificate({ subject: /CN=httpbin\.example\.com/, issuer: /CN=example\.com/, certificate: cert }),
  );

export default defineScenario({
  id: 'ingress-tls-certificate-rotation',
  title: 'Rotating the ingress gateway certificate: no restart, and the old CA stops verifying',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom:
    'After httpbin-rotation-credential is deleted and re-created with a certificate from a new CA, curl --cacert <old CA> ' +
    'fails ("Peer\'s certificate has an invalid signature"), while the new CA gets 418.',
  cause:
    'Both CAs are named O=example Inc., CN=example.com, so the new certificate names the old CA as its issuer, but ' +
    "its signature was made with the new CA's key and does not verify against the old one.",
  fix: 'Give clients the new CA. Nothing is restarted: the gateway reads the replaced Secret through SDS.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-tls-rotation' }],
  // The write-up's order: the Gateway and its route stay for the whole story; only the Secret
  // under them changes. A phase's Secret of the same name replaces this one in place (same name,
  // new certificate), and the revert puts the first certificate back.
  setup: { apply: ['common/gateway.yaml', 'common/virtualservice.yaml'], secrets: credential('httpbin') },
  certificates: [
    EXAMPLE_CA,
    // The write-up's new_certificates/: a second CA with the same subject.
    cert.ca('example-ca-2', EXAMPLE_CA.subject),
    httpbinCert('httpbin', 'example-ca'),
    httpbinCert('httpbin-rotated', 'example-ca-2'),
  ],
  probes: {
    oldCa: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca', identify }),
    newCa: probe.ingress({ url: 'https://httpbin.example.com/status/418', ca: 'example-ca-2', identify }),
    // The gateway pods and their containers, and when the credential last changed: "no restart"
    // means every one started before the Secret was replaced.
    gatewayPods: probe.kube({
      read: 'pods',
      namespace: 'istio-system',
      selector: 'istio=ingressgateway',
      since: { apiVersion: 'v1', kind: 'Secret', name: CREDENTIAL, namespace: 'istio-system' },
    }),
  },
  phases: {
    'control-before-rotation': {
      summary: 'httpbin-rotation-credential holds the first certificate: clients trusting the first CA get 418.',
      apply: [],
      expect: {
        oldCa: phaseSpecific(
          serves418('httpbin'),
          "the served leaf has the fingerprint of this scenario's first certificate, which only its setup Secret carries",
        ),
      },
      evidence: ['served-certificate:oldCa'],
      config: { expect: { oldCa: servesAtConfig('httpbin') }, dataPlaneOnly: 'the handshake verified against the first CA, and the 418' },
    },
    broken: {
      summary:
        "The Secret under the live Gateway is replaced (same name, the second CA's certificate): the old CA no longer verifies it, and the gateway did not restart.",
      apply: [],
      secrets: credential('httpbin-rotated'),
      expect: {
        // The positive control: the served leaf is the rotated certificate (its fingerprint), not
        // the first one and not some other same-subject leaf (a stale one from elsewhere).
        newCa: phaseSpecific(serves418('httpbin-rotated'), "only the replaced Secret carries the rotated certificate's fingerprint"),
        oldCa: check.ingressError(['bad-signature', 'unknown-ca']),
        gatewayPods: check.notRestartedSince(),
      },
      // Only oldCa runs in this phase; its failed handshake still records the rotated certificate the gateway served.
      evidence: ['served-certificate:oldCa', 'gateway-log'],
      config: {
        expect: { newCa: servesAtConfig('httpbin-rotated') },
        dataPlaneOnly:
          "that the old CA no longer verifies the rotated leaf (a client's verification), and that the running gateway " +
          'picked up the replaced Secret over SDS without a restart (timing and pod state)',
      },
      predicted:
        "The write-up's NSS curl said SEC_ERROR_BAD_SIGNATURE; OpenSSL reports a signature failure when it picks the " +
        'old CA by subject, or an unknown issuer when key identifiers differ: both are accepted (inferred, not yet seen on a cluster).',
    },
    fixed: {
      summary: 'Clients trust the second CA: 418 again, from the same gateway pod, with no restart.',
      apply: [],
      secrets: credential('httpbin-rotated'),
      expect: {
        newCa: phaseSpecific(serves418('httpbin-rotated'), "only the replaced Secret carries the rotated certificate's fingerprint"),
        gatewayPods: check.notRestartedSince(),
      },
      evidence: ['served-certificate:newCa', 'gateway-log'],
      // The fix is on the client (it trusts the second CA): the gateway config is broken's.
      config: {
        expect: {},
        dataPlaneOnly:
          'the fix is on the client (it trusts example-ca-2); the gateway serves the rotated leaf as in broken, and that ' +
          'the same gateway pod does so with no restart is pod state only a cluster shows',
      },
    },
  },
  // `casebook check` / `casebook workshop`: the fix is the clients trusting the new CA, so broken's
  // and fixed's objects are the same; no outcome config could check, and check says so (exit 2).
  workshop: {
    outcome: {},
    hints: [
      'The gateway serves a certificate, and clients with one CA get 418 while clients with the other fail the handshake. Which certificate does the gateway serve now, and who issued it?',
      "Both CAs are named O=example Inc., CN=example.com. The served certificate names that issuer, but which CA's key signed it?",
      'The rotated certificate was signed by the new CA (example-ca-2). Give the clients the new CA; the gateway needs no change and no restart (it reads the replaced Secret over SDS).',
    ],
    judges: "nothing of this fix: the gateway's objects are the same before and after it (casebook explain shows the served certificate)",
    cannotJudge:
      'the fix is on the client side (curl --cacert with the new CA), and the rest is data plane: which CA verifies the served leaf, ' +
      'and that the running gateway picked up the replaced Secret without a restart',
  },
});
