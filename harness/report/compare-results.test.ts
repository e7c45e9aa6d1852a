import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PhaseResult, RunResults } from '../model/results.ts';
import { compareResults, pairVersions } from './compare-results.ts';
import { sampleRun } from './testing/sample-run.ts';
import { readResultsFile } from './read-results.ts';
import { comparisonSummary, renderComparisonMarkdown, renderComparisonText } from './render-comparison.ts';
import { writeComparison } from './write-results.ts';

const DR = 'destinationrule-without-tls-overrides-mesh-mtls';

/** Yesterday's run: everything as expected on both versions, one more control phase, no ingress scenario yet. */
function baselineRun(): RunResults {
  const run = sampleRun();
  const results = run.results
    .filter((r) => r.scenario === DR)
    .map((r): PhaseResult => {
      if (r.istio !== '1.31.0') return r;
      const { error: _error, ...rest } = r;
      return { ...rest, verdict: r.expected, asExpected: true, probes: [], evidence: [] };
    });
  results.push({ ...results[0]!, phase: 'control-mesh-mtls', intent: 'control', verdict: 'passed', expected: 'passed' });
  return { ...run, runId: 'run-0', results };
}

/** One phase on one version, as a run records it. */
function single(runId: string, istio: string, over: Partial<PhaseResult>): RunResults {
  const run = sampleRun();
  return { ...run, runId, istioVersions: [istio], results: [{ ...run.results[0]!, istio, ...over }] };
}

describe('version pairing', () => {
  test('same version when the baseline has it, else the version upgraded from, else the oldest', () => {
    assert.deepEqual(pairVersions(['1.30.3', '1.31.0'], ['1.30.3', '1.31.0']), [
      { baseline: '1.30.3', current: '1.30.3' },
      { baseline: '1.31.0', current: '1.31.0' },
    ]);
    assert.deepEqual(pairVersions(['1.30.3'], ['1.31.0']), [{ baseline: '1.30.3', current: '1.31.0' }]);
    assert.deepEqual(
      pairVersions(['1.31.0', '1.29.6', '1.30.3'], ['1.30.10']),
      [{ baseline: '1.30.3', current: '1.30.10' }],
      'semver order, not string order',
    );
    assert.deepEqual(pairVersions(['1.29.6', '1.30.3'], ['1.30.3', '1.31.0']), [
      { baseline: '1.30.3', current: '1.30.3' },
      { baseline: '1.30.3', current: '1.31.0' },
    ]);
    assert.deepEqual(pairVersions(['1.30.3', '1.31.0-rc.0'], ['1.31.0']), [{ baseline: '1.31.0-rc.0', current: '1.31.0' }]);
    assert.deepEqual(pairVersions(['1.30.3', '1.31.0'], ['1.31.0-rc.0']), [{ baseline: '1.30.3', current: '1.31.0-rc.0' }]);
    assert.deepEqual(
      pairVersions(['1.30.3', '1.31.0'], ['1.29.6']),
      [{ baseline: '1.30.3', current: '1.29.6' }],
      'a downgrade compares with the oldest',
    );
    assert.deepEqual(pairVersions([], ['1.30.3']), []);
  });
});

describe('compareResults', () => {
  test('same versions: verdict changes, regressions, added scenario and removed phase', () => {
    const c = compareResults(baselineRun(), sampleRun());
    const st = (verdict: string, expected: string, asExpected: boolean, skipped = false) => ({ verdict, expected, asExpected, skipped });
    assert.deepEqual(c, {
      baseline: { runId: 'run-0', istioVersions: ['1.30.3', '1.31.0'] },
      current: { runId: 'run-1', istioVersions: ['1.30.3', '1.31.0'] },
      versions: [
        {
          baseline: '1.30.3',
          current: '1.30.3',
          compared: 3,
          changes: [{ kind: 'phase-removed', scenario: DR, phase: 'control-mesh-mtls', before: st('passed', 'passed', true) }],
        },
        {
          baseline: '1.31.0',
          current: '1.31.0',
          compared: 2,
          changes: [
            {
              kind: 'changed',
              scenario: DR,
              phase: 'broken',
              before: st('reproduced', 'reproduced', true),
              after: st('not-reproduced', 'reproduced', false),
              regression: true,
            },
            {
              kind: 'changed',
              scenario: DR,
              phase: 'fixed',
              before: st('fixed', 'fixed', true),
              after: st('error', 'fixed', false),
              regression: true,
            },
            { kind: 'scenario-added', scenario: 'ingress-tls-simple', phases: ['fixed'] },
          ],
        },
      ],
      notCompared: [],
      regressions: 2,
    });
    assert.deepEqual(renderComparisonText(c), [
      'baseline run-0 (istio 1.30.3, 1.31.0) → current run-1 (istio 1.30.3, 1.31.0)',
      'istio 1.30.3: 1 change(s), 3 phase(s) compared',
      `  - ${DR}/control-mesh-mtls: phase removed (was passed)`,
      'istio 1.31.0: 3 change(s), 2 phase(s) compared',
      `  ✗ ${DR}/broken: reproduced → not-reproduced (expected reproduced): regression`,
      `  ✗ ${DR}/fixed: fixed → error (expected fixed): regression`,
      '  + scenario ingress-tls-simple: new (fixed)',
      `2 regression(s), as expected in the baseline and not now: istio 1.31.0: ${DR}/broken, ${DR}/fixed`,
    ]);
  });

  test('the other way round: improvements, an added phase and a removed scenario are no regression', () => {
    const c = compareResults(sampleRun(), baselineRun());
    assert.equal(c.regressions, 0);
    assert.deepEqual(renderComparisonText(c).slice(1), [
      'istio 1.30.3: 1 change(s), 3 phase(s) compared',
      `  + ${DR}/control-mesh-mtls: new phase, passed`,
      'istio 1.31.0: 3 change(s), 2 phase(s) compared',
      `  ~ ${DR}/broken: not-reproduced (expected reproduced) → reproduced`,
      `  ~ ${DR}/fixed: error (expected fixed) → fixed`,
      '  - scenario ingress-tls-simple: removed (fixed)',
      'no regression (4 change(s))',
    ]);
  });

  test("old version run vs new version run: each side judged by its own version's expectation", () => {
    const old = single('run-0', '1.30.3', {});
    const documented = single('run-1', '1.31.0', {
      verdict: 'not-reproduced',
      expected: 'not-reproduced',
      asExpected: true,
      expectedBecause: 'fixed upstream in 1.31',
    });
    const c = compareResults(old, documented);
    assert.deepEqual(
      c.versions.map((v) => [v.baseline, v.current, v.compared]),
      [['1.30.3', '1.31.0', 1]],
    );
    assert.deepEqual(renderComparisonText(c).slice(1), [
      'istio 1.30.3 → 1.31.0: 1 change(s), 1 phase(s) compared',
      `  ~ ${DR}/broken: reproduced → not-reproduced`,
      'no regression (1 change(s))',
    ]);
    const surprise = single('run-2', '1.31.0', { verdict: 'not-reproduced', asExpected: false });
    const r = compareResults(old, surprise);
    assert.equal(r.regressions, 1);
    assert.equal(comparisonSummary(r), `1 regression(s), as expected in the baseline and not now: istio 1.30.3 → 1.31.0: ${DR}/broken`);
  });

  test('a change of asExpected alone is listed; regression only from as expected (and run) to not as expected', () => {
    const unexpected = single('a', '1.30.3', { verdict: 'not-reproduced', asExpected: false });
    const nowExpected = single('b', '1.30.3', { verdict: 'not-reproduced', expected: 'not-reproduced', asExpected: true });
    const c = compareResults(unexpected, nowExpected);
    assert.deepEqual(
      c.versions[0]!.changes.map((ch) => ch.kind === 'changed' && [ch.before.asExpected, ch.after.asExpected, ch.regression]),
      [[false, true, false]],
    );
    assert.equal(compareResults(nowExpected, unexpected).regressions, 1, 'same verdict, but no longer the expected one');

    const skipped = single('c', '1.30.3', { verdict: 'skipped', asExpected: false, skippedReason: 'not selected by --phase fixed' });
    assert.equal(compareResults(single('d', '1.30.3', {}), skipped).regressions, 0, 'skipped now: not judged');
    assert.equal(compareResults(skipped, unexpected).regressions, 0, 'skipped in the baseline: nothing to regress from');
    assert.match(renderComparisonText(compareResults(single('d', '1.30.3', {}), skipped))[2]!, /~ .*\/broken: reproduced → skipped$/);
  });

  test('identical runs: "no verdict changed"; baseline versions nobody pairs with are named', () => {
    const c = compareResults(sampleRun(), sampleRun());
    assert.equal(c.regressions, 0);
    assert.deepEqual(renderComparisonText(c).slice(1), [
      'istio 1.30.3: no verdict changed among 3 phase(s) compared',
      'istio 1.31.0: no verdict changed among 3 phase(s) compared',
      'no verdict changed',
    ]);
    const current = { ...sampleRun(), istioVersions: ['1.31.0'], results: sampleRun().results.filter((r) => r.istio === '1.31.0') };
    const narrowed = compareResults(sampleRun(), current);
    assert.deepEqual(narrowed.notCompared, ['1.30.3']);
    assert.ok(renderComparisonText(narrowed).includes('baseline istio 1.30.3: not compared (no version of the current run pairs with it)'));
  });

  test('markdown: one table row per change', () => {
    assert.equal(
      renderComparisonMarkdown(compareResults(baselineRun(), sampleRun())),
      [
        '# Comparison: baseline run-0 → current run-1',
        '',
        'Baseline: istio 1.30.3, 1.31.0. Current: istio 1.30.3, 1.31.0. Compared: istio 1.30.3 (3 phase(s)), istio 1.31.0 (2 phase(s)).',
        '',
        '| istio | scenario | phase | baseline run-0 | current run-1 |  |',
        '| --- | --- | --- | --- | --- | --- |',
        `| 1.30.3 | ${DR} | control-mesh-mtls | passed | — | phase removed |`,
        `| 1.31.0 | ${DR} | broken | reproduced | **not-reproduced** (expected reproduced) | regression |`,
        `| 1.31.0 | ${DR} | fixed | fixed | **error** (expected fixed) | regression |`,
        '| 1.31.0 | ingress-tls-simple | fixed | — | new scenario |  |',
        '',
        `**2 regression(s), as expected in the baseline and not now: istio 1.31.0: ${DR}/broken, ${DR}/fixed**`,
        '',
      ].join('\n'),
    );
    assert.equal(
      renderComparisonMarkdown(compareResults(sampleRun(), sampleRun())).split('\n').slice(-3).join('\n'),
      '\n**no verdict changed**\n',
    );
  });
});

describe('results files', () => {
  test('readResultsFile accepts a results.json or its folder; names the file and the problem otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-compare-'));
    try {
      const good = join(dir, 'results.json');
      writeFileSync(good, JSON.stringify(sampleRun()));
      assert.deepEqual(await readResultsFile(good, 'baseline'), sampleRun());
      assert.deepEqual(await readResultsFile(dir, 'baseline'), sampleRun());

      const rejects = async (path: string, message: RegExp) => {
        await assert.rejects(readResultsFile(path, 'baseline'), (e: Error) => {
          assert.equal(e.name, 'UsageError');
          assert.match(e.message, message);
          return true;
        });
      };
      await rejects(join(dir, 'missing.json'), /^baseline .*\/missing\.json does not exist$/);
      writeFileSync(join(dir, 'text.json'), 'not json');
      await rejects(join(dir, 'text.json'), /^baseline .*\/text\.json is not JSON: Unexpected token/);
      const bad = sampleRun() as unknown as { results: Record<string, unknown>[] };
      bad.results[1]!['verdict'] = 'broken';
      delete bad.results[2]!['asExpected'];
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
      await rejects(
        join(dir, 'bad.json'),
        /^baseline .*\/bad\.json is not a casebook results\.json: \/results\/1\/verdict must be one of reproduced, not-reproduced, .*; \/results\/2 must have required property 'asExpected'$/,
      );
      writeFileSync(join(dir, 'list.json'), '[]');
      await rejects(join(dir, 'list.json'), /is not a casebook results\.json: the top level must be object$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writeComparison writes comparison.json (round-trips) and comparison.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-compare-'));
    try {
      const c = compareResults(baselineRun(), sampleRun());
      const paths = await writeComparison(dir, c);
      assert.deepEqual(JSON.parse(readFileSync(paths.json, 'utf8')), c);
      assert.equal(readFileSync(paths.markdown, 'utf8'), renderComparisonMarkdown(c));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
