/**
 * Config level for real (`npm run test:config`): the fixed phase with the includeInboundPorts: "" pods back leaves port 80 uncaptured; and istio-init's rules calibrated against the write-up's iptables listing (MTLS_503_ANALYSIS in scenarios/write-ups.ts).
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

const ID = 'inbound-port-not-captured';

test(`${ID}: fixed without its fix turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild(
    [withPhaseApplying(s, 'fixed', ['common/peer-authentication.yaml', 'broken/flaskapp-uncaptured.yaml'])],
    ['fixed'],
  );
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(`${ID}: flaskapp's istio-init rules agree with the write-up's iptables listing`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['broken', 'fixed']);
  for (const v of defaultVersions()) {
    // flaskapp has two Deployments, so the helper computes each pod (`flaskapp@<deployment>`); the write-up listed one (v1).
    const rules = (phase: string) => outputs.get(v)!.get(`${ID}/${phase}`)!.proxies['flaskapp@flaskapp-v1']!.iptables ?? [];
    // Write-up (Istio 1.1, after its fix), `iptables -t nat -L`:
    //   PREROUTING: ISTIO_INBOUND tcp
    //   ISTIO_INBOUND: ISTIO_IN_REDIRECT tcp dpt:80      ("was not there, added after the change")
    //   ISTIO_IN_REDIRECT: REDIRECT redir ports 15001
    // Differences, each a release change: since 1.3 the injector passes -b "*" (every inbound port,
    // commit 844bc586), so the per-port rule is one rule for all TCP with RETURNs for the proxy's
    // own ports (15008 HBONE, 15090, 15021, 15020); inbound goes to 15006 (virtualInbound, 1.3)
    // instead of 15001.
    const fixed = rules('fixed');
    assert.ok(fixed.includes('-A PREROUTING -p tcp -j ISTIO_INBOUND'), `istio ${v}: ${fixed.join(' | ')}`);
    assert.ok(fixed.includes('-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT'));
    assert.ok(fixed.includes('-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006'));
    // Write-up, before its fix: ISTIO_INBOUND had no redirect for 80. With includeInboundPorts: ""
    // today's istio-iptables writes no inbound capture at all: not even the PREROUTING jump (the
    // write-up's 1.1 pod kept it, with an empty ISTIO_INBOUND: same effect, port 80 reaches the app).
    const broken = rules('broken');
    assert.ok(!broken.some((r) => r.startsWith('-A PREROUTING')), `istio ${v}: ${broken.join(' | ')}`);
    assert.ok(!broken.some((r) => /^-A ISTIO_INBOUND .*-j ISTIO_IN_REDIRECT/.test(r)));
  }
});
