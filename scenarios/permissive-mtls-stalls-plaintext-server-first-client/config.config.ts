/**
 * Config level for real (`npm run test:config`): the fixed phase without the excludeInboundPorts annotation lets iptables hand 3306 to the sidecar's PERMISSIVE chains.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgedOnEveryBuild, registry, withPhaseApplying } from '../../harness/config-level/testing/config-run.ts';

const ID = 'permissive-mtls-stalls-plaintext-server-first-client';

test(`${ID}: fixed-exclude-inbound-port without its fix turns still-failing at config level`, { timeout: 600_000 }, async () => {
  const s = (await registry()).find((x) => x.id === ID)!;
  const ran = await judgedOnEveryBuild(
    [withPhaseApplying(s, 'fixed-exclude-inbound-port', ['common/peer-authentication.yaml'])],
    ['fixed-exclude-inbound-port'],
  );
  for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
});

test(
  `${ID}: excluding 3306 without the plain-TCP DestinationRule leaves meshed clients sending mTLS to MySQL itself (still-failing, on meshedDb)`,
  { timeout: 600_000 },
  async () => {
    const s = (await registry()).find((x) => x.id === ID)!;
    const half = withPhaseApplying(s, 'fixed-exclude-inbound-port', [
      'common/peer-authentication.yaml',
      'fixed-exclude-inbound-port/mysql-server.yaml',
    ]);
    const ran = await judgedOnEveryBuild([half], ['fixed-exclude-inbound-port']);
    for (const r of ran) {
      assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
      const meshed = r.probes.find((p) => p.probe === 'meshedDb')!;
      assert.equal(meshed.held, false);
      assert.match(meshed.message, /mTLS reaches the application/);
    }
  },
);
