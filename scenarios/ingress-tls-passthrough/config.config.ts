/**
 * Config level for real (`npm run test:config`): the fixed phase with the http-only VirtualService
 * back turns still-failing; and the passthrough path calibrated against the write-up's curl -v
 * output (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Ingress Gateway without TLS Termination").
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

const ID = 'ingress-tls-passthrough';

test(`${ID}: fixed without its fix (no tls route) turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild([withPhaseApplying(s, 'fixed', ['common/gateway.yaml', 'broken/virtualservice.yaml'])], ['fixed']);
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(`${ID}: the SNI chain goes to nginx untouched, as the write-up's curl -v shows`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['fixed']);
  for (const v of defaultVersions()) {
    const hop = outputs
      .get(v)!
      .get(`${ID}/fixed`)!
      .calls.find((c) => c.probe === 'welcome')!.hops[0]!;
    // Write-up: `curl -v --resolve nginx.example.com:… --cacert example.com.crt https://nginx.example.com`
    // → subject O=some organization,CN=nginx.example.com, issuer CN=example.com,O=example Inc.,
    // "Welcome to nginx!": nginx's own certificate, so the gateway did not terminate TLS.
    // Generated: the 8443 chain matched by SNI sends the stream to nginx's 443 cluster (tcp_proxy,
    // no route config) and has no TLS context: the gateway serves no certificate of its own. Our
    // Service is nginx (the write-up's my-nginx). The certificate nginx serves is data plane.
    assert.equal(hop.listener, '0.0.0.0_8443', `istio ${v}: ${JSON.stringify(hop)}`);
    assert.equal(hop.cluster, 'outbound|443||nginx.ingress-passthrough.svc.cluster.local');
    assert.equal(hop.routeConfig ?? '', '');
    assert.equal((hop.servedSecrets ?? []).length, 0);
    assert.equal(hop.error ?? '', '');
  }
});
