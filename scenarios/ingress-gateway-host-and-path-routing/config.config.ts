/**
 * Config level for real (`npm run test:config`): the fixed phase with the broken VirtualService
 * back turns still-failing; and the generated gateway paths calibrated against the write-up's
 * curl output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Ingress Gateways").
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

const ID = 'ingress-gateway-host-and-path-routing';

test(
  `${ID}: fixed without its fix (the VirtualService naming httpbin) turns still-failing at config level`,
  { timeout: 600_000 },
  async () => {
    const s = (await registry()).find((x) => x.id === ID)!;
    const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['common/gateway.yaml', 'broken/virtualservice.yaml'])], ['fixed']);
    for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
  },
);

test(`${ID}: the gateway's paths agree with the write-up's curl output`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['fixed']);
  for (const v of defaultVersions()) {
    const hop = (probe: string) =>
      outputs
        .get(v)!
        .get(`${ID}/fixed`)!
        .calls.find((c) => c.probe === probe)!.hops[0]!;
    // Write-up (Istio 1.6): `curl -I -HHost:httpbin.example.com http://$INGRESS_HOST:$INGRESS_PORT/status/200`
    //   HTTP/1.1 200 OK, server: istio-envoy, x-envoy-upstream-service-time: 21
    // i.e. the gateway routed it upstream to httpbin:8000. Generated: port 80's route table
    // (the gateway pod's 8080 since the charts run the gateway unprivileged, 1.7+) has the
    // virtual host httpbin.example.com:80 whose /status prefix goes to httpbin's 8000 cluster
    // (EDS; the write-up's httpbin was in `default`, ours in its own namespace).
    const status = hop('status200');
    assert.equal(status.listener, '0.0.0.0_8080', `istio ${v}: ${JSON.stringify(status)}`);
    assert.equal(status.virtualHost, 'httpbin.example.com:80');
    assert.equal(status.cluster, 'outbound|8000||httpbin.ingress-routing.svc.cluster.local');
    assert.equal(status.clusterInfo?.type, 'EDS');
    assert.equal(status.error ?? '', '');
    // Write-up: `curl -I -HHost:httpbin.example.com .../headers` → HTTP/1.1 404 Not Found,
    // server: istio-envoy, no x-envoy-upstream-service-time: Envoy answered itself. Generated: the
    // same virtual host, no route for /headers (Envoy's NR 404).
    const headers = hop('headers');
    assert.equal(headers.virtualHost, 'httpbin.example.com:80', `istio ${v}: ${JSON.stringify(headers)}`);
    assert.equal(headers.error, 'no route matched');
  }
});
