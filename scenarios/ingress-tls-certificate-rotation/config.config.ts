/**
 * Config level for real (`npm run test:config`). The fix (clients trust the second CA) is on the
 * client, so there is no config fix to remove; instead: broken without the replaced Secret (no
 * rotation) turns not-reproduced, which shows the fingerprint check is what tells the phases
 * apart. And the served certificates calibrated against the write-up's curl -v output
 * (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts, "Secure Gateways", rotating the certificate).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configRun, defaultVersions, judgedOnEveryBuild, registry } from '../../harness/config-level/testing/config-run.ts';

const ID = 'ingress-tls-certificate-rotation';

test(`${ID}: broken without the rotation (the setup Secret kept) is not-reproduced at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const notRotated = { ...s, phases: { ...s.phases, broken: { ...s.phases.broken!, secrets: [] } } };
  const ran = await judgedOnEveryBuild([notRotated], ['broken']);
  for (const r of ran) assert.equal(r.verdict, 'not-reproduced', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(
  `${ID}: the served certificates agree with the write-up's curl -v output before and after the rotation`,
  { timeout: 600_000 },
  async () => {
    const s = (await registry()).find((x) => x.id === ID)!;
    const { outputs } = await configRun([s], defaultVersions(), ['control-before-rotation', 'broken']);
    for (const v of defaultVersions()) {
      const served = (phase: string, probe: string) =>
        outputs
          .get(v)!
          .get(`${ID}/${phase}`)!
          .calls.find((c) => c.probe === probe)!.hops[0]!.servedCertificates![0]!;
      const before = served('control-before-rotation', 'oldCa');
      const after = served('broken', 'newCa');
      // Write-up, both before and after (curl -v, NSS): subject O=httpbin organization,
      // CN=httpbin.example.com; issuer CN=example.com,O=example Inc. — the same names, and then
      // SEC_ERROR_BAD_SIGNATURE with the old CA. Generated: istiod's SDS answers the same
      // credential name with the same subject and issuer (RFC 2253 order) in both phases, and a
      // different certificate (SHA-256 fingerprint): only the fingerprint tells them apart.
      for (const c of [before, after]) {
        assert.equal(c.name, 'kubernetes://httpbin-rotation-credential', `istio ${v}`);
        assert.equal(c.subject, 'CN=httpbin.example.com,O=httpbin organization');
        assert.equal(c.issuer, 'CN=example.com,O=example Inc.');
      }
      assert.ok(before.fingerprint256 && after.fingerprint256 && before.fingerprint256 !== after.fingerprint256, `istio ${v}`);
    }
  },
);
