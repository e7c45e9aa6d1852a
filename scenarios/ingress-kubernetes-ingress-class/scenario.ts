import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';
import { TRAFFIC_MANAGEMENT_HANDS_ON_2 } from '../write-ups.ts';

const fromEnvoy = check.header('server', 'istio-envoy');
// Istio's ingress controller names the backend by its full Service name.
const HTTPBIN = 'outbound|8000||httpbin.ingress-class.svc.cluster.local';
const onPort80 = { at: 'gateway', listener: '0.0.0.0_8080', routeConfig: 'http.8080' } as const;
// Config level: the Ingress Istio ignored adds no virtual host, beside the control Ingress it read.
const ignoredInConfig = (probe: 'status200' | 'classStatus200') => ({
  control: check.lands({ ...onPort80, virtualHost: 'control.example.com:80', cluster: HTTPBIN }),
  [probe]: check.stopsWith('no virtual host matched', 'gateway'),
});
// Config level: the Ingress Istio read gives its host a virtual host with the /status prefix only.
const servedInConfig = (host: string, status200: 'status200' | 'classStatus200', headers: 'headers' | 'classHeaders') => ({
  [status200]: check.lands({ ...onPort80, virtualHost: `${host}:80`, cluster: HTTPBIN }),
  [headers]: check.stopsWith('no route matched', 'gateway'),
});
const STATUS_ONLY = "the status codes (httpbin's 200, Envoy's own 404 with server: istio-envoy)";
const ignored = (probe: 'status200' | 'classStatus200') => ({
  control: phaseSpecific(
    check.all(check.status(200), fromEnvoy),
    "control.example.com is routed only by this phase's control Ingress, read in the same translation as the ignored one",
  ),
  [probe]: check.all(check.status(404), fromEnvoy),
});
const served = (status200: 'status200' | 'classStatus200', headers: 'headers' | 'classHeaders', because: string) => ({
  [status200]: phaseSpecific(check.all(check.status(200), fromEnvoy), because),
  [headers]: check.all(check.status(404), fromEnvoy),
});

export default defineScenario({
  id: 'ingress-kubernetes-ingress-class',
  title: 'Kubernetes Ingress through Istio: the ingress class decides whether Istio sees it',
  source: TRAFFIC_MANAGEMENT_HANDS_ON_2,
  symptom: 'A networking.k8s.io/v1 Ingress for httpbin.example.com, path /status, changes nothing: the Istio gateway answers 404.',
  cause:
    'Istio\'s ingress controller runs in STRICT mode by default and only processes Ingresses of class "istio". An Ingress ' +
    'without a class is ignored; one with ingressClassName: istio is ignored as well until an IngressClass named istio, ' +
    'controller istio.io/ingress-controller, exists. Istio does not create that IngressClass.',
  fix:
    'Annotate the Ingress with kubernetes.io/ingress.class: istio (as the write-up did), or keep ingressClassName: istio ' +
    'and create the IngressClass.',
  mesh: { profile: 'casebook-demo' },
  isolation: 'gateway',
  workloads: [{ name: 'httpbin', namespace: 'ingress-class' }],
  probes: {
    status200: probe.ingress({ url: 'http://httpbin.example.com/status/200' }),
    headers: probe.ingress({ url: 'http://httpbin.example.com/headers' }),
    // The Ingress with ingressClassName has its own host (see broken-missing-ingressclass/ingress.yaml).
    classStatus200: probe.ingress({ url: 'http://httpbin-class.example.com/status/200' }),
    classHeaders: probe.ingress({ url: 'http://httpbin-class.example.com/headers' }),
    control: probe.ingress({ url: 'http://control.example.com/status/200' }),
    // The precondition of broken-missing-ingressclass, read through the Kubernetes API: with an
    // IngressClass istio (left by --keep after fixed-ingressclass, or an existing cluster's) the
    // Ingress would be served, and the phase must say why instead of reporting a lost reproduction.
    ingressClass: probe.kube({ read: 'object', object: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: 'istio' } }),
  },
  phases: {
    broken: {
      summary: 'An Ingress without any class: Istio ignores it.',
      apply: ['common/other-site-gateway.yaml', 'broken/ingress.yaml', 'broken/control-ingress.yaml'],
      expect: ignored('status200'),
      evidence: ['gateway-config'],
      config: { expect: ignoredInConfig('status200'), dataPlaneOnly: STATUS_ONLY },
    },
    'broken-missing-ingressclass': {
      summary: 'ingressClassName: istio, but no IngressClass object named istio: still ignored.',
      apply: ['common/other-site-gateway.yaml', 'broken-missing-ingressclass/ingress.yaml', 'broken/control-ingress.yaml'],
      // The precondition first: the phase is about a missing IngressClass, so one that exists fails it by name.
      expect: { ingressClass: check.absent(), ...ignored('classStatus200') },
      evidence: ['gateway-config'],
      // The precondition (no IngressClass istio) is the phase's own objects at config level: the
      // live read of the cluster (ingressClass) is a runtime check.
      config: {
        expect: ignoredInConfig('classStatus200'),
        dataPlaneOnly: `${STATUS_ONLY}; that the cluster has no IngressClass istio (a live API read)`,
      },
    },
    fixed: {
      summary: 'The kubernetes.io/ingress.class: istio annotation: /status/200 reaches httpbin, /headers is not routed.',
      apply: ['common/other-site-gateway.yaml', 'fixed/ingress.yaml'],
      expect: served('status200', 'headers', "httpbin.example.com is routed only by this phase's annotated Ingress"),
      evidence: ['gateway-config'],
      config: { expect: servedInConfig('httpbin.example.com', 'status200', 'headers'), dataPlaneOnly: STATUS_ONLY },
    },
    'fixed-ingressclass': {
      summary: 'ingressClassName: istio plus the IngressClass istio -> istio.io/ingress-controller: served like the annotation.',
      apply: ['common/other-site-gateway.yaml', 'broken-missing-ingressclass/ingress.yaml', 'fixed-ingressclass/ingressclass.yaml'],
      expect: served(
        'classStatus200',
        'classHeaders',
        'httpbin-class.example.com is routed only once the IngressClass istio makes Istio read its Ingress',
      ),
      evidence: ['gateway-config'],
      config: { expect: servedInConfig('httpbin-class.example.com', 'classStatus200', 'classHeaders'), dataPlaneOnly: STATUS_ONLY },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe. The
  // learner starts from `broken` (the unclassed Ingress for httpbin.example.com); fixed-ingressclass
  // fixes broken-missing-ingressclass's other Ingress, so its recipe is checked on this one in
  // harness/workshop/careless-fixes.config.ts.
  workshop: {
    from: 'broken',
    fixes: ['fixed'],
    outcome: {
      status200: {
        check: check.all(check.lands({ ...onPort80, cluster: HTTPBIN }), check.passes()),
        because: 'http://httpbin.example.com/status/200 through the Istio gateway must reach httpbin:8000: Istio must read the Ingress',
      },
    },
    controls: {
      headers: {
        check: check.stopsWith('no route matched', 'gateway'),
        because:
          'the Ingress publishes /status only: /headers must stay a 404; widening the path to / exposes what was never meant to be public',
      },
    },
    hints: [
      "The gateway answers 404 itself, as if the Ingress did not exist. Which Ingresses does Istio's ingress controller read, and which does it ignore?",
      'Istio reads only Ingresses of class istio: by the annotation kubernetes.io/ingress.class, or by ingressClassName naming an IngressClass whose controller is istio.io/ingress-controller. What class does this Ingress have?',
      'The Ingress has no class at all. Annotate it with kubernetes.io/ingress.class: istio, or set ingressClassName: istio and create the IngressClass istio (Istio does not create it); keep path /status.',
    ],
    judges:
      "Kubernetes and Istio objects you write (Ingress, IngressClass, Gateway, …), by what Istio's own ingress controller makes of them: the gateway's virtual hosts and routes",
    cannotJudge:
      "the status codes themselves (httpbin's 200, Envoy's 404: data plane), an IngressClass already in a live cluster (a runtime read), and changes on the client side",
  },
});
