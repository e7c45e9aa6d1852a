/**
 * Config level for real (`npm run test:config`): the separate-CA fix without its -cacert Secret
 * turns still-failing; and the gateway's secrets calibrated against the write-up's troubleshooting
 * notes (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Secure Gateways", mutual TLS).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configRun, defaultVersions, judgedOnEveryBuild, registry } from '../../harness/config-level/testing/config-run.ts';

const ID = 'ingress-mutual-tls';

test(
  `${ID}: fixed-separate-cacert-secret without its -cacert Secret turns still-failing at config level`,
  { timeout: 600_000 },
  async () => {
    const s = (await registry()).find((x) => x.id === ID)!;
    const p = s.phases['fixed-separate-cacert-secret']!;
    const withoutCa = {
      ...s,
      phases: {
        ...s.phases,
        'fixed-separate-cacert-secret': { ...p, secrets: (p.secrets ?? []).filter((x) => !x.name.endsWith('-cacert')) },
      },
    };
    const ran = await judgedOnEveryBuild([withoutCa], ['fixed-separate-cacert-secret']);
    for (const r of ran) {
      assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
      assert.match(r.probes.map((x) => x.message).join(' '), /httpbin-split-credential-cacert: not found by istiod/);
    }
  },
);

test(`${ID}: the MUTUAL chain's secrets agree with the write-up's troubleshooting notes`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const { outputs } = await configRun([s], defaultVersions(), ['control-simple-tls', 'broken']);
  for (const v of defaultVersions()) {
    const hop = (phase: string) =>
      outputs
        .get(v)!
        .get(`${ID}/${phase}`)!
        .calls.find((c) => c.probe === 'noClientCert')!.hops[0]!;
    // Write-up: with MUTUAL the gateway agent gets SDS requests for httpbin-credential and
    // httpbin-credential-cacert (the CA, from the ca.crt key of the same generic Secret), and the
    // CA's subject is "O=example Inc., CN=example.com". Generated: the chain names
    // kubernetes://<credential> and kubernetes://<credential>-cacert (the kubernetes:// prefix is
    // istiod's credential resource name since SDS moved into istiod, 1.8+; our credential name is
    // the scenario's own), istiod's SDS finds both, the CA printed in RFC 2253 order.
    const broken = hop('broken');
    assert.deepEqual(
      broken.servedSecrets,
      ['kubernetes://httpbin-mtls-credential', 'kubernetes://httpbin-mtls-credential-cacert'],
      `istio ${v}`,
    );
    assert.equal(broken.requiresClientCertificate, true);
    const ca = broken.servedCertificates?.find((c) => c.name.endsWith('-cacert'));
    assert.ok(ca?.found && ca.validationContext, `istio ${v}: ${JSON.stringify(broken.servedCertificates)}`);
    assert.equal(ca.subject, 'CN=example.com,O=example Inc.');
    // Write-up, SIMPLE before the switch: `curl -v` shows subject O=httpbin organization,
    // CN=httpbin.example.com (NSS prints the RDNs in the other order) and no client certificate
    // asked for; generated: the same subject, no -cacert secret, requireClientCertificate unset.
    const simple = hop('control-simple-tls');
    assert.deepEqual(simple.servedSecrets, ['kubernetes://httpbin-mtls-credential']);
    assert.ok(!simple.requiresClientCertificate);
    assert.equal(simple.servedCertificates?.[0]?.subject, 'CN=httpbin.example.com,O=httpbin organization');
  }
});
