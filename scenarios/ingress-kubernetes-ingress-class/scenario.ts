/**
 * Symptom: a Kubernetes Ingress for httpbin.example.com has no effect on Istio's ingress
 *          gateway: /status/200 answers 404 from istio-envoy.
 * Cause:   Istio's ingress controller (STRICT mode) only takes Ingresses of its class. No class at
 *          all is ignored; `ingressClassName: istio` is ignored too unless an IngressClass "istio"
 *          exists, which Istio does not install.
 * Fix:     the kubernetes.io/ingress.class: istio annotation (the write-up), or ingressClassName
 *          plus an IngressClass with controller istio.io/ingress-controller.
 * Source:  seeds/003_df287000848aec8c.txt (Istio task "Kubernetes Ingress")
 */
import { check, defineScenario, probe } from '../../harness/index.ts';

const fromEnvoy = check.header('server', 'istio-envoy');
const ignored = { status200: check.all(check.status(404), fromEnvoy) };
const served = {
  status200: check.all(check.status(200), fromEnvoy),
  headers: check.all(check.status(404), fromEnvoy),
};

export default defineScenario({
  id: 'ingress-kubernetes-ingress-class',
  title: 'Kubernetes Ingress through Istio: the ingress class decides whether Istio sees it',
  source: 'seeds/003_df287000848aec8c.txt',
  symptom: 'A networking.k8s.io/v1 Ingress for httpbin.example.com, path /status, changes nothing: the Istio gateway answers 404.',
  cause: 'Istio\'s ingress controller runs in STRICT mode by default and only processes Ingresses of class "istio". An Ingress '
    + 'without a class is ignored; one with ingressClassName: istio is ignored as well until an IngressClass named istio, '
    + 'controller istio.io/ingress-controller, exists. Istio does not create that IngressClass.',
  fix: 'Annotate the Ingress with kubernetes.io/ingress.class: istio (as the write-up did), or keep ingressClassName: istio '
    + 'and create the IngressClass.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-class' }],
  probes: {
    status200: probe.ingress({ url: 'http://httpbin.example.com/status/200' }),
    headers: probe.ingress({ url: 'http://httpbin.example.com/headers' }),
  },
  phases: {
    broken: {
      summary: 'An Ingress without any class: Istio ignores it.',
      apply: ['common/other-site-gateway.yaml', 'broken/ingress.yaml'],
      expect: ignored,
      evidence: ['gateway-config'],
    },
    'broken-missing-ingressclass': {
      summary: 'ingressClassName: istio, but no IngressClass object named istio: still ignored.',
      apply: ['common/other-site-gateway.yaml', 'broken-missing-ingressclass/ingress.yaml'],
      expect: ignored,
      evidence: ['gateway-config'],
    },
    fixed: {
      summary: 'The kubernetes.io/ingress.class: istio annotation: /status/200 reaches httpbin, /headers is not routed.',
      apply: ['common/other-site-gateway.yaml', 'fixed/ingress.yaml'],
      expect: served,
      evidence: ['gateway-config'],
    },
    'fixed-ingressclass': {
      summary: 'ingressClassName: istio plus the IngressClass istio -> istio.io/ingress-controller: served like the annotation.',
      apply: ['common/other-site-gateway.yaml', 'broken-missing-ingressclass/ingress.yaml', 'fixed-ingressclass/ingressclass.yaml'],
      expect: served,
      evidence: ['gateway-config'],
    },
  },
});
