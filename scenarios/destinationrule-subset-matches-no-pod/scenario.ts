import { check, defineScenario, phaseSpecific, probe } from '../../harness/index.ts';

const STABLE = 'outbound|8000|stable|httpbin.catalog.svc.cluster.local';
const V1 = 'outbound|8000|v1|httpbin.catalog.svc.cluster.local';

// Config level: the route picks the subset's cluster (Istio's simulation); whether istiod pushed
// an endpoint for it is the cluster's load assignment, and no endpoint means Envoy's 503 UH.
const routedTo = (cluster: string) =>
  check.lands({ at: 'outbound', routeConfig: '8000', virtualHost: 'httpbin.catalog.svc.cluster.local:8000', cluster });
const reachesHttpbin = check.lands({ at: 'inbound', filterChain: '0.0.0.0_8080', cluster: 'inbound|8080||' });

export default defineScenario({
  id: 'destinationrule-subset-matches-no-pod',
  title: 'DestinationRule subset whose labels match no pod: 503 "no healthy upstream" with healthy pods',
  source: {
    title: 'Traffic Management Problems',
    author: 'Istio Authors',
    url: 'https://istio.io/latest/docs/ops/common-problems/network-issues/',
  },
  symptom:
    'Every call to httpbin returns 503 with the body "no healthy upstream" right after a VirtualService starts routing ' +
    'to a subset, while the httpbin pods are running and ready.',
  cause:
    "The subset `stable` selects version=stable and the pods are labelled version=v1. The subset's cluster exists " +
    '(so the route is valid) but its endpoints are the pods matching the subset labels: none. Envoy has no host to pick: 503, flag UH.',
  fix: "Correct the subset's labels to the pods' labels (version=v1), or route to a subset that selects pods.",
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [
    { name: 'curl', namespace: 'catalog' },
    { name: 'httpbin', namespace: 'catalog' },
  ],
  probes: {
    call: probe.http({ from: 'curl', url: 'http://httpbin.catalog:8000/get', timeoutMs: 10_000 }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log', filter: 'httpbin.catalog' }),
  },
  phases: {
    broken: {
      summary: 'Routed to subset `stable` (version=stable, no such pod): 503 "no healthy upstream", flag UH on the stable cluster.',
      apply: ['broken/destination-rule.yaml', 'common/virtual-service-stable.yaml'],
      expect: {
        call: check.all(check.status(503), check.bodyStartsWith('no healthy upstream')),
        clientLog: phaseSpecific(
          check.all(check.responseFlags('UH'), check.accessLog(new RegExp(STABLE.replace(/[|.]/g, '\\$&')))),
          "the stable cluster exists only while a phase's DestinationRule defines it and a VirtualService routes to it",
        ),
      },
      evidence: ['access-log:curl'],
      config: {
        expect: {
          call: check.all(routedTo(STABLE), check.lands({ cluster: STABLE, endpoints: 0 }), check.stopsWith('no healthy upstream')),
        },
        dataPlaneOnly: 'the 503 body and the UH flag in the access log',
      },
    },
    fixed: {
      summary: 'The `stable` subset selects version=v1: the call returns 200 through the stable cluster.',
      apply: ['fixed/destination-rule.yaml', 'common/virtual-service-stable.yaml'],
      expect: {
        call: check.all(check.ok(), check.bodyIncludes('"url"')),
        clientLog: phaseSpecific(
          check.accessLog(new RegExp(`" 200 .*${STABLE.replace(/[|.]/g, '\\$&')}`)),
          "a 200 through the stable cluster needs this phase's corrected subset labels",
        ),
      },
      evidence: ['access-log:curl'],
      config: {
        expect: { call: check.all(routedTo(STABLE), check.lands({ cluster: STABLE, endpoints: 1 }), reachesHttpbin, check.passes()) },
      },
    },
    'control-matching-subset': {
      summary: 'The broken DestinationRule unchanged, routed to subset v1 whose labels match: 200.',
      apply: ['broken/destination-rule.yaml', 'control-matching-subset/virtual-service-v1.yaml'],
      expect: {
        call: check.ok(),
        clientLog: phaseSpecific(
          check.accessLog(new RegExp(`" 200 .*${V1.replace(/[|.]/g, '\\$&')}`)),
          "only this phase's VirtualService routes to the v1 cluster",
        ),
      },
      evidence: ['access-log:curl'],
      config: { expect: { call: check.all(routedTo(V1), check.lands({ cluster: V1, endpoints: 1 }), reachesHttpbin, check.passes()) } },
    },
  },
  // `casebook check` / `casebook workshop`: what any fix must reach, whatever the recipe.
  workshop: {
    outcome: {
      call: {
        check: check.all(reachesHttpbin, check.passes()),
        because: 'the call to httpbin must reach an httpbin pod instead of a cluster with no endpoint',
      },
    },
    controls: {
      call: {
        check: check.lands({ at: 'outbound', cluster: /^outbound\|8000\|[^|]+\|httpbin\.catalog\.svc\.cluster\.local$/ }),
        because:
          "the team routes httpbin by subset (the canary set-up): the call must still go through a subset's cluster, not bypass the VirtualService and the DestinationRule",
      },
    },
    keeps: [
      {
        kind: 'VirtualService',
        namespace: 'catalog',
        because: "the routing rule is the team's: point it at a subset that selects pods, do not delete it",
      },
      {
        kind: 'DestinationRule',
        namespace: 'catalog',
        because: "the subsets are the team's: correct the one that selects no pod, do not delete them",
      },
    ],
    hints: [
      'The pods are running and ready, yet the client\'s sidecar answers "no healthy upstream" itself. Which cluster does the route pick, and what endpoints does it have?',
      "The VirtualService routes to subset stable. A subset is a label selector over the Service's pods: which pods does stable select?",
      "The subset stable selects version=stable and the pods are labelled version=v1. Correct the subset's labels (or route to a subset that selects pods); keep the VirtualService and the DestinationRule.",
    ],
    judges:
      "Istio objects you write (DestinationRule, VirtualService), by the cluster Istio's route picks for curl's call, its endpoints and whether it reaches httpbin",
    cannotJudge:
      'changes to the pods (relabelling the httpbin Deployment, which this workspace does not hold), and the 503 body and UH flag themselves (data plane)',
  },
});
