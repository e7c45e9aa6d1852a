/**
 * `casebook check` for real (Istio's own code through istio-sim; needs Go): every documented fix
 * of each scenario with workshop data is accepted, the broken phase's own manifests are rejected,
 * and for the MySQL case a fix no phase uses (exportTo) is accepted while careless ones are not.
 * `npm run test:config`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadValidScenarios } from '../cli/load-valid.ts';
import { casebookRoot } from '../load/casebook-root.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { checkFix, startPhase, type FixJudgement } from './check-fix.ts';
import { readFixInput } from './fix-input.ts';
import { phaseFiles, writeFiles } from './workspace.ts';

const root = casebookRoot();
const SE = 'serviceentry-in-other-namespace-captures-tcp-port';

async function withWorkshop(): Promise<ScenarioDefinition[]> {
  return (await loadValidScenarios(root)).filter((s) => s.workshop);
}

/** Writes the files into a fresh folder, reads them back as `check` does, and judges them. */
async function judgeFiles(s: ScenarioDefinition, files: ReadonlyMap<string, string>): Promise<FixJudgement> {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-check-'));
  try {
    writeFiles(dir, files);
    return await checkFix({ root, scenario: s, input: readFixInput(dir, s.certificates ?? []) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const failed = (j: FixJudgement) => j.items.filter((i) => !i.held).map((i) => `${i.role} ${i.key}: ${i.message}`);

test(
  "check accepts every documented fix and rejects the broken phase's own manifests, for each scenario with workshop data",
  { timeout: 900_000 },
  async () => {
    const scenarios = await withWorkshop();
    assert.ok(
      scenarios.some((s) => s.id === SE) && scenarios.some((s) => s.id === 'ingress-tls-simple'),
      'the two first workshop scenarios have their data',
    );
    for (const s of scenarios) {
      if (Object.keys(s.workshop!.outcome).length === 0) continue; // nothing config decides: checked to say so, below
      const from = startPhase(s).name;
      const broken = await judgeFiles(s, phaseFiles(root, s, from));
      assert.equal(broken.accepted, false, `${s.id}: the ${from} phase's own manifests must be rejected`);
      assert.ok(
        broken.items.some((i) => i.role === 'outcome' && !i.held),
        `${s.id}: ${from} fails on the outcome, not only on a control`,
      );
      const fixes = s.workshop!.fixes ?? Object.keys(s.phases).filter((p) => p === 'fixed' || p.startsWith('fixed-'));
      assert.ok(fixes.length > 0, `${s.id} documents a fix`);
      for (const p of fixes) {
        const j = await judgeFiles(s, phaseFiles(root, s, p));
        assert.deepEqual(failed(j), [], `${s.id}/${p} (a documented fix) must be accepted`);
        assert.equal(j.accepted, true);
      }
    }
  },
);

test(
  'check (MySQL case): exportTo ["."] is accepted though no phase uses it; deleting the entry or turning mTLS off is rejected, saying which control and why',
  { timeout: 300_000 },
  async () => {
    const s = (await withWorkshop()).find((x) => x.id === SE)!;
    const broken = phaseFiles(root, s, 'broken');
    const entry = broken.get('serviceentry.yaml')!;
    const exportTo = new Map([['serviceentry.yaml', entry.replace('  resolution: DNS', '  resolution: DNS\n  exportTo: ["."]')]]);
    assert.notEqual(exportTo.get('serviceentry.yaml'), entry);
    const ok = await judgeFiles(s, exportTo);
    assert.deepEqual(failed(ok), []);

    // The Sidecar fix, but with the entry deleted: the outcome holds, two controls do not.
    const sidecar = phaseFiles(root, s, 'fixed-sidecar-scope').get('sidecar.yaml')!;
    const deleted = await judgeFiles(s, new Map([['sidecar.yaml', sidecar]]));
    assert.equal(deleted.accepted, false);
    assert.deepEqual(
      deleted.items
        .filter((i) => !i.held)
        .map((i) => `${i.role} ${i.key}`)
        .sort(),
      ['control listeners:curl-dns-capture', 'keeps ServiceEntry in demo'],
    );
    assert.match(deleted.items.find((i) => i.key === 'listeners:curl-dns-capture')!.because, /its own clients/);
    assert.ok(deleted.items.every((i) => i.role !== 'outcome' || i.held));

    // exportTo plus mTLS off mesh-wide: the outcome holds, the mTLS control does not.
    const dir = mkdtempSync(join(tmpdir(), 'casebook-check-'));
    try {
      writeFileSync(
        join(dir, 'pa.yaml'),
        'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec:\n  mtls: {mode: DISABLE}\n',
      );
      writeFileSync(join(dir, 'serviceentry.yaml'), exportTo.get('serviceentry.yaml')!);
      const j = await checkFix({ root, scenario: s, input: readFixInput(dir) });
      assert.deepEqual(
        j.items.filter((i) => !i.held).map((i) => `${i.role} ${i.key}`),
        ['control inCluster'],
      );
      assert.match(j.items.find((i) => !i.held)!.message, /requires client cert/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "check: an object Istio's validation rejects is an input error (FixInputError, exit 2), not a verdict",
  { timeout: 300_000 },
  async () => {
    const s = (await withWorkshop()).find((x) => x.id === SE)!;
    const bad = new Map([
      ['serviceentry.yaml', phaseFiles(root, s, 'broken').get('serviceentry.yaml')!.replace('protocol: TCP', 'protocol: TCPX')],
    ]);
    await assert.rejects(
      judgeFiles(s, bad),
      (e: Error) => e.name === 'FixInputError' && /ServiceEntry demo\/mysql: .*unsupported protocol/.test(e.message),
    );
  },
);

test('check says it cannot judge a scenario whose fix no config decides (empty outcome): exit 2 citing cannotJudge, for check and workshop alike', async () => {
  const none = (await withWorkshop()).filter((s) => Object.keys(s.workshop!.outcome).length === 0);
  assert.ok(
    none.some((s) => s.id === 'ingress-tls-certificate-rotation'),
    "the rotation's fix is the client trusting the new CA",
  );
  for (const s of none) {
    await assert.rejects(
      judgeFiles(s, phaseFiles(root, s, startPhase(s).name)),
      (e: Error) =>
        e.name === 'UsageError' &&
        e.message.includes('check cannot judge a fix of this scenario') &&
        e.message.includes(s.workshop!.cannotJudge),
    );
  }
});
