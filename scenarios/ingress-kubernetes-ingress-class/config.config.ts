/**
 * Config level for real (`npm run test:config`): each fixed phase without its fix (the Ingress
 * without the class annotation; ingressClassName without the IngressClass) turns still-failing;
 * and the gateway's cluster for the Ingress backend calibrated against the write-up's
 * `istioctl proxy-config cluster` listing (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Kubernetes Ingress").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  configRun,
  defaultVersions,
  judgedOnEveryBuild,
  registry,
  withPhaseApplying,
} from '../../harness/config-level/testing/config-run.ts';

const ID = 'ingress-kubernetes-ingress-class';

type Dump = { configs?: { '@type'?: string; dynamic_active_clusters?: { cluster?: { name?: string } }[] }[] };
const clusterNames = (dump: unknown): string[] =>
  ((dump as Dump | undefined)?.configs ?? []).flatMap((c) => c.dynamic_active_clusters ?? []).map((d) => d.cluster?.name ?? '');

test(`${ID}: each fix removed (no annotation; no IngressClass) turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const withoutFixes = withPhaseApplying(
    withPhaseApplying(s, 'fixed', ['common/other-site-gateway.yaml', 'broken/ingress.yaml']),
    'fixed-ingressclass',
    ['common/other-site-gateway.yaml', 'broken-missing-ingressclass/ingress.yaml'],
  );
  const ran = await judgedOnEveryBuild([withoutFixes], ['fixed', 'fixed-ingressclass']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(`${ID}: the annotated Ingress's backend agrees with the write-up's cluster listing`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['fixed']);
  for (const v of defaultVersions()) {
    const out = outputs.get(v)!.get(`${ID}/fixed`)!;
    const hop = out.calls.find((c) => c.probe === 'status200')!.hops[0]!;
    // Write-up (Istio 1.6), `istioctl proxy-config cluster istio-ingressgateway-… | grep 8000`:
    //   httpbin.default.svc.cluster.local                      8000  -  outbound  EDS
    //   outbound_.8000_._.httpbin.default.svc.cluster.local    -     -  -         EDS
    // Generated: the first row (outbound|8000||httpbin.<ns>.svc.cluster.local, EDS; our httpbin is
    // in its own namespace), reached through the Ingress's virtual host. The second row was an
    // SNI-DNAT cluster: the 1.6 ingress gateway ran in sni-dnat router mode and got one per
    // Service; since then istiod builds them only for a gateway with an AUTO_PASSTHROUGH server
    // (pilot/pkg/networking/core/cluster.go, buildOutboundSniDnatClusters), so there is none here.
    assert.equal(hop.cluster, 'outbound|8000||httpbin.ingress-class.svc.cluster.local', `istio ${v}: ${JSON.stringify(hop)}`);
    assert.equal(hop.clusterInfo?.type, 'EDS');
    assert.equal(hop.virtualHost, 'httpbin.example.com:80');
    // (The name outbound_.8000_._.httpbin… still appears in 1.30's dump, as the SNI the gateway's
    // auto-mTLS transport socket sends upstream: a name on the wire, not a cluster.)
    const names = clusterNames(out.proxies['ingressgateway']?.configDump);
    assert.ok(names.includes('outbound|8000||httpbin.ingress-class.svc.cluster.local'), `istio ${v}: ${names.join(', ')}`);
    assert.ok(!names.some((n) => n.startsWith('outbound_.')), `istio ${v}: an SNI-DNAT cluster without an AUTO_PASSTHROUGH server`);
    // Write-up: `curl -I -HHost:httpbin.example.com …/status/200` → 200 from istio-envoy, and
    // `/headers` → 404 from istio-envoy (the Ingress routes /status only): no route for /headers.
    assert.equal(out.calls.find((c) => c.probe === 'headers')!.hops[0]!.error, 'no route matched');
  }
});
