import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunResults } from '../model/results.ts';
import { createConsoleReporter } from './console-reporter.ts';
import { sampleRun } from './testing/sample-run.ts';
import { renderHtml } from './html.ts';
import { renderMatrixMarkdown } from './matrix.ts';
import { timingSummary } from './timings.ts';

function timedRun(): RunResults {
  const run = sampleRun();
  run.results[0]!.timings = { meshMs: 800, applyMs: 1200, settleMs: 3400, evidenceMs: 500 };
  run.steps = [
    { istio: '1.30.3', step: 'cluster', detail: 'casebook created', startedAt: '2026-01-01T00:00:00Z', durationMs: 45_000 },
    {
      istio: '1.30.3',
      step: 'install',
      detail: 'installed (profile casebook-demo, config 1a2b)',
      startedAt: '2026-01-01T00:01:00Z',
      durationMs: 75_000,
    },
    { istio: '1.30.3', step: 'setup wave', detail: '12 scenario(s) <all>', startedAt: '2026-01-01T00:02:00Z', durationMs: 30_000 },
  ];
  return run;
}

describe('per-step timings in the reports', () => {
  test('console: each step as it arrives, a phase line with apply → settled, and a summary line', () => {
    let out = '';
    const c = createConsoleReporter({
      write: (s: string) => {
        out += s;
      },
    });
    const run = timedRun();
    for (const s of run.steps!) c.stepEnded(s);
    c.phaseEnded(run.results[0]!);
    c.runEnded(run);
    assert.match(out, /· install \(istio 1\.30\.3\): 75\.0s, installed \(profile casebook-demo, config 1a2b\)/);
    assert.match(out, /mesh config 0\.8s, apply 1\.2s → settled 3\.4s, evidence 0\.5s/);
    assert.match(
      out,
      /timings: cluster 45\.0s; install 75\.0s; setup wave 30\.0s; 1 phase\(s\): apply 2\.0s, settle 3\.4s, evidence 0\.5s/,
    );
  });

  test('matrix.md and report.html get a Timings section; results without timings get none', () => {
    const md = renderMatrixMarkdown(timedRun());
    assert.match(md, /## Timings/);
    assert.match(md, /\| setup wave \| 1\.30\.3 \| 30\.0s \|/);
    assert.match(md, /apply 1\.2s → settled 3\.4s/);
    const html = renderHtml(timedRun());
    assert.match(html, /<section id="timings">/);
    assert.match(html, /12 scenario\(s\) &lt;all&gt;/, 'escaped');
    const old = sampleRun();
    assert.equal(timingSummary(old), undefined);
    assert.doesNotMatch(renderMatrixMarkdown(old), /Timings/);
    assert.doesNotMatch(renderHtml(old), /id="timings"/);
  });
});
