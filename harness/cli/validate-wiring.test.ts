import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { makeTempRoot, REPO, SCENARIO } from './testing/temp-root.ts';

/**
 * `casebook validate` as an author meets it: three wiring mistakes in one scenario.ts (a check
 * of the wrong kind, a misspelt evidence kind, a misspelt check) come out in one run, each with
 * its location and the name that was meant. Before, the misspelt check stopped the registry from
 * loading with a TypeError, and the other two passed validate altogether.
 *
 * The scenario is written here (under the temp root's registered id) so the test does not
 * depend on how the real scenario's phases read today.
 */
let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

const planted = `import { check, defineScenario, probe } from '../../harness/index.ts';

export default defineScenario({
  id: '${SCENARIO}',
  title: 'wiring trial', source: { title: 't' }, symptom: 's', cause: 'c', fix: 'f',
  mesh: { profile: 'casebook-demo' },
  isolation: 'mesh',
  workloads: [{ name: 'curl', namespace: 'foo' }, { name: 'httpbin', namespace: 'foo' }],
  probes: {
    db: probe.tcp({ from: 'curl', host: 'httpbin', port: 8000 }),
    clientLog: probe.envoy({ of: 'curl', what: 'access-log' }),
  },
  phases: {
    broken: {
      summary: 's', apply: [],
      expect: { db: check.all(check.connected(), check.responseFlags('UH')) },
      evidence: ['access-logs:curl'],
    },
    fixed: {
      summary: 's', apply: [],
      expect: { clientLog: check.responseFlag('UH') },
    },
  },
});
`;

test('validate reports a wrong-kind check, an unknown evidence kind and a misspelt check at once, with suggestions', async () => {
  writeFileSync(join(root, `scenarios/${SCENARIO}/scenario.ts`), planted);
  const r = await execa(process.execPath, [join(REPO, 'bin', 'casebook.mjs'), 'validate'], {
    reject: false,
    timeout: 60_000,
    env: { CASEBOOK_ROOT: root },
    cwd: REPO,
  });
  const at = `scenarios/${SCENARIO}/scenario.ts: `;
  assert.equal(r.exitCode, 1, r.stdout + r.stderr);
  const lines = r.stdout.trim().split('\n');
  // Other rules (e.g. one phase-specific check per phase) may add their own lines about this scenario.
  const wanted = [
    `${at}phases.broken.expect.db: responseFlags(UH) judges envoy access-log observations, but probe 'db' is tcp: ` +
      "use a check for tcp observations on 'db', or declare probe.envoy({ of: 'curl', what: 'access-log' }) and check that probe with it",
    `${at}phases.broken.evidence[0]: 'access-logs:curl': unknown evidence kind 'access-logs': did you mean 'access-log:curl'? ` +
      '(known: listeners, access-log, cluster-tls, istio-init, served-certificate, gateway-config, gateway-log, gateway-secrets)',
    `${at}phases.fixed.expect.clientLog: check.responseFlag is not a check: did you mean check.responseFlags?`,
  ];
  for (const line of wanted) assert.ok(lines.includes(line), `missing: ${line}\n${r.stdout}`);
  assert.match(lines.at(-1)!, /^✗ \d+ problem\(s\) in 1 scenario\(s\) in scenarios\/index\.ts, \d+ manifest file\(s\)$/);
});
