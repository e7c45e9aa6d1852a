import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RunResults } from '../model/results.ts';
import { createConsoleReporter } from './console-reporter.ts';
import { sampleRun } from './testing/sample-run.ts';
import { matrixConsoleLine, renderMatrixMarkdown, verdictMatrix } from './matrix.ts';
import { writeReports } from './write-results.ts';
import { compareResults } from './compare-results.ts';
import { renderComparisonMarkdown } from './render-comparison.ts';

const DR = 'destinationrule-without-tls-overrides-mesh-mtls';

/** The sample run, where 1.31.0 also shows a documented change: the failure stopped reproducing, as its expectation says. */
function withDocumentedChange(): RunResults {
  const run = sampleRun();
  const phase = (istio: string, verdict: 'reproduced' | 'not-reproduced') => ({
    ...run.results[0]!,
    scenario: 'serviceentry-in-other-namespace-captures-tcp-port',
    phase: 'broken-headless',
    istio,
    verdict,
    expected: verdict,
    ...(istio === '1.31.0' ? { expectedBecause: 'the version expectation of this phase' } : {}),
  });
  return { ...run, results: [...run.results, phase('1.30.3', 'reproduced'), phase('1.31.0', 'not-reproduced')] };
}

describe('verdict matrix', () => {
  test('markdown: one row per scenario × phase, a column per Istio version, unexpected cells bold with the expectation', () => {
    assert.equal(
      renderMatrixMarkdown(sampleRun()),
      [
        '# Verdicts of run run-1',
        '',
        'Istio 1.30.3, 1.31.0 on kind cluster casebook, 2026-11-22T10:00:00.000Z to 2026-11-22T10:05:00.000Z.',
        '',
        '| scenario | phase | istio 1.30.3 | istio 1.31.0 | across versions |',
        '| --- | --- | --- | --- | --- |',
        `| ${DR} | broken | reproduced | **not-reproduced** (expected reproduced) | changed between versions |`,
        `| ${DR} | fixed | fixed | **error** (expected fixed) |  |`,
        `| ${DR} | control-auto-mtls | skipped | — |  |`,
        '| ingress-tls-simple | fixed | — | fixed |  |',
        '',
        '**bold**: not the verdict expected on that Istio version. —: not run on that version. 1 of 4 phase(s) changed verdict between versions.',
        '',
      ].join('\n'),
    );
  });

  test('error and skipped cells do not make a row "changed"; a change every version expected is marked as such', () => {
    const { rows } = verdictMatrix(withDocumentedChange());
    assert.deepEqual(
      rows.map((r) => `${r.scenario}/${r.phase}: ${r.acrossVersions}`),
      [
        `${DR}/broken: changed`,
        `${DR}/fixed: same`, // fixed on 1.30.3, error on 1.31.0: the harness did not observe, Istio may not have changed
        `${DR}/control-auto-mtls: same`,
        'ingress-tls-simple/fixed: same',
        'serviceentry-in-other-namespace-captures-tcp-port/broken-headless: changed-as-expected',
      ],
    );
    assert.match(
      renderMatrixMarkdown(withDocumentedChange()),
      /^\| serviceentry-in-other-namespace-captures-tcp-port \| broken-headless \| reproduced \| not-reproduced \| changed between versions \(as expected\) \|$/m,
    );
  });

  test('single version: no "across versions" column, no console line; a skip without reason is unexpected', () => {
    const run = sampleRun();
    const one: RunResults = {
      ...run,
      istioVersions: ['1.30.3'],
      results: run.results
        .filter((r) => r.istio === '1.30.3')
        .map((r) => (r.verdict === 'skipped' ? { ...r, skippedReason: undefined } : r)),
    };
    const md = renderMatrixMarkdown(one);
    assert.ok(md.includes('| scenario | phase | istio 1.30.3 |\n| --- | --- | --- |\n'), md);
    assert.ok(md.includes(`| ${DR} | control-auto-mtls | **skipped** (expected passed) |\n`), md);
    assert.ok(md.endsWith('—: not run on that version.\n'), md);
    assert.equal(matrixConsoleLine(one), undefined);
  });

  test('console: one line naming what changed, before the summary line, which stays last', () => {
    assert.equal(matrixConsoleLine(sampleRun()), `1 phase(s) changed verdict between istio 1.30.3 and 1.31.0: ${DR}/broken (matrix.md)`);
    const run = sampleRun();
    const agree = { ...run, results: run.results.filter((r) => r.phase !== 'broken') };
    assert.equal(matrixConsoleLine(agree), 'no verdict changed between istio 1.30.3 and 1.31.0');
    let text = '';
    const summary = createConsoleReporter({
      write: (s: string) => {
        text += s;
      },
    }).runEnded(run);
    const lines = text.split('\n').filter((l) => l !== '');
    assert.deepEqual(lines.slice(-2), [matrixConsoleLine(run), summary]);
  });

  test('console line lists at most five phases', () => {
    const run = sampleRun();
    const many = Array.from({ length: 7 }, (_, i) => [
      { ...run.results[0]!, scenario: `s${i}` },
      { ...run.results[0]!, scenario: `s${i}`, istio: '1.31.0', verdict: 'not-reproduced' as const, asExpected: false },
    ]).flat();
    assert.equal(
      matrixConsoleLine({ ...run, results: many }),
      '7 phase(s) changed verdict between istio 1.30.3 and 1.31.0: s0/broken, s1/broken, s2/broken, s3/broken, s4/broken and 2 more (matrix.md)',
    );
  });

  test('writeReports writes matrix.md beside results.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-matrix-'));
    try {
      const paths = await writeReports(dir, sampleRun());
      assert.equal(paths.matrix, join(dir, 'matrix.md'));
      assert.equal(readFileSync(paths.matrix, 'utf8'), renderMatrixMarkdown(sampleRun()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('run text in matrix.md and comparison.md is inert Markdown: no raw HTML, no heading from a newline or a lone CR, backslashes kept', () => {
  const run = sampleRun();
  const evil: RunResults = {
    ...run,
    runId: 'r1\n# Injected <img src=x onerror=alert(1)>',
    cluster: { provider: 'kind', name: 'ctx\r# also <b>bold</b> & \\|' },
    results: run.results.map((r) => ({ ...r, scenario: `${r.scenario}<script>x</script>\r# cell` })),
  };
  const md = renderMatrixMarkdown(evil);
  assert.ok(!/<(img|script|b)\b/.test(md), md);
  assert.ok(!md.includes('\r'), 'no lone CR');
  assert.equal(md.split('\n').filter((l) => l.startsWith('#')).length, 1, "only the report's own heading");
  assert.match(md, /&lt;script&gt;x&lt;\/script&gt; # cell/);
  assert.match(md, /&amp; \\\\\\|/, 'a backslash before a pipe stays a backslash and the pipe stays escaped');
  const cmp = renderComparisonMarkdown(compareResults(run, evil));
  assert.ok(!/<(img|script|b)\b/.test(cmp) && !cmp.includes('\r'), cmp);
  assert.equal(cmp.split('\n').filter((l) => l.startsWith('#')).length, 1, cmp);
});
