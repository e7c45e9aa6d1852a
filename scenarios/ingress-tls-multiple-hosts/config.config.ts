/**
 * Config level for real (`npm run test:config`): the fixed phase with the one-server Gateway back
 * turns still-failing; and the two-server gateway calibrated against the write-up's setup and curl
 * output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Secure Gateways", multiple hosts).
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

const ID = 'ingress-tls-multiple-hosts';

test(`${ID}: fixed without its fix (one server for both hosts) turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['common/virtualservices.yaml', 'broken/gateway.yaml'])], ['fixed']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(`${ID}: each SNI gets its own chain, route and certificate, as in the write-up`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['fixed']);
  for (const v of defaultVersions()) {
    const hop = (probe: string) =>
      outputs
        .get(v)!
        .get(`${ID}/fixed`)!
        .calls.find((c) => c.probe === probe)!.hops[0]!;
    // Write-up: Gateway mygateway with servers https-httpbin (httpbin-credential) and
    // https-helloworld (helloworld-credential), both on 443; `curl -v … https://helloworld-v1.example.com/hello`
    // → 200 from istio-envoy, "Hello version: v1"; httpbin.example.com/status/418 → the teapot.
    // Generated: one 8443 listener, one filter chain per server (SNI), each with its own route
    // config https.443.<port name>.mygateway.<ns> and its own credential. Differences: the host is
    // helloworld.example.com (the write-up's helloworld-v1 Service is our helloworld), and our
    // credential names are the scenario's own.
    const hello = hop('hello');
    assert.equal(hello.routeConfig, 'https.443.https-helloworld.mygateway.ingress-tls-multi', `istio ${v}: ${JSON.stringify(hello)}`);
    assert.equal(hello.cluster, 'outbound|5000||helloworld.ingress-tls-multi.svc.cluster.local');
    assert.deepEqual(hello.servedSecrets, ['kubernetes://helloworld-credential']);
    assert.equal(hello.servedCertificates?.[0]?.subject, 'CN=helloworld.example.com,O=helloworld organization');
    const teapot = hop('teapot');
    assert.equal(teapot.routeConfig, 'https.443.https-httpbin.mygateway.ingress-tls-multi');
    assert.deepEqual(teapot.servedSecrets, ['kubernetes://httpbin-multi-credential']);
    assert.equal(teapot.servedCertificates?.[0]?.subject, 'CN=httpbin.example.com,O=httpbin organization');
  }
});
