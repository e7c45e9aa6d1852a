import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createConsoleReporter, summaryLine } from './console-reporter.ts';
import { exitCodeFor } from './exit-code.ts';
import { renderJUnit } from './junit.ts';
import { writeReports } from './write-results.ts';
import { sampleRun } from './testing/sample-run.ts';

describe('exit code', () => {
  test('1 when a verdict is not as expected; skipped phases with a reason do not count', () => {
    const run = sampleRun();
    assert.equal(exitCodeFor(run), 1);
    const good = { ...run, results: run.results.filter((r) => r.istio === '1.30.3') };
    assert.equal(exitCodeFor(good), 0, 'the only non-expected phase there is skipped with a reason');
    const noReason = { ...good, results: good.results.map((r) => (r.verdict === 'skipped' ? { ...r, skippedReason: undefined } : r)) };
    assert.equal(exitCodeFor(noReason), 1, 'a skip without a reason is just not as expected');
    assert.equal(exitCodeFor({ ...run, results: run.results.filter((r) => r.verdict === 'skipped') }), 1, 'nothing ran, nothing verified');
  });
});

describe('console reporter', () => {
  test('one line per expected phase, details only for unexpected ones, and a summary line', () => {
    let text = '';
    const reporter = createConsoleReporter({
      write: (s: string) => {
        text += s;
      },
    });
    const run = sampleRun();
    for (const r of run.results) reporter.phaseEnded(r);
    const summary = reporter.runEnded(run);
    assert.equal(
      summary,
      '2/5 phases not as expected (istio 1.31.0: destinationrule-without-tls-overrides-mesh-mtls/broken, destinationrule-without-tls-overrides-mesh-mtls/fixed); 1 skipped',
    );
    const lines = text.split('\n');
    assert.ok(lines.includes('  ✓ istio 1.30.3 · destinationrule-without-tls-overrides-mesh-mtls · broken: reproduced (3.2s)'), text);
    assert.ok(
      lines.includes(
        '  - istio 1.30.3 · destinationrule-without-tls-overrides-mesh-mtls · control-auto-mtls: skipped (not selected by --phase broken,fixed)',
      ),
      text,
    );
    assert.ok(
      lines.includes(
        '  ✗ istio 1.31.0 · destinationrule-without-tls-overrides-mesh-mtls · broken: expected reproduced, got not-reproduced (3.2s)',
      ),
      text,
    );
    assert.ok(lines.includes('      probe call (http): did not hold after 2 attempt(s)'), text);
    assert.ok(
      lines.some((l) => l.startsWith('        expected status 503, got status 200')),
      text,
    );
    assert.ok(lines.includes('      evidence: client access log → x/broken/access.log'), text);
    assert.ok(lines.includes('      harness error: exec into curl failed: pod not ready'), text);
    // Expected phases never print probe output.
    const expectedBlock = text.slice(0, text.indexOf('✗'));
    assert.doesNotMatch(expectedBlock, /probe /);
    assert.equal(lines.filter((l) => l !== '').at(-1), summary);
  });

  test('consecutive phases skipped for the same reason print the reason once', () => {
    let text = '';
    const reporter = createConsoleReporter({
      write: (s: string) => {
        text += s;
      },
    });
    const skipped = sampleRun().results.find((r) => r.verdict === 'skipped')!;
    const why = 'prerequisites missing: kind 0.32.0';
    reporter.phaseEnded({ ...skipped, phase: 'broken', skippedReason: why });
    reporter.phaseEnded({ ...skipped, phase: 'fixed', skippedReason: why });
    reporter.phaseEnded({ ...skipped, phase: 'control-x', skippedReason: 'not selected by --phase broken' });
    assert.deepEqual(text.trimEnd().split('\n'), [
      `  - istio 1.30.3 · destinationrule-without-tls-overrides-mesh-mtls · broken: skipped (${why})`,
      '  - istio 1.30.3 · destinationrule-without-tls-overrides-mesh-mtls · fixed: skipped (same reason as above)',
      '  - istio 1.30.3 · destinationrule-without-tls-overrides-mesh-mtls · control-x: skipped (not selected by --phase broken)',
    ]);
  });

  test('summary when all is well, and when nothing ran', () => {
    const run = sampleRun();
    const good = { ...run, istioVersions: ['1.30.3'], results: run.results.filter((r) => r.istio === '1.30.3') };
    assert.equal(summaryLine(good), '2/2 phases as expected (istio 1.30.3); 1 skipped');
    assert.equal(summaryLine({ ...run, results: [] }), 'no phase ran (0 skipped): nothing was verified');
  });
});

describe('JUnit XML', () => {
  const xml = renderJUnit(sampleRun());

  test('one testsuite per Istio version × scenario, one testcase per phase, with totals', () => {
    const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)].map((m) =>
      m.slice(1).join('|'),
    );
    assert.deepEqual(suites, [
      'istio 1.30.3 / destinationrule-without-tls-overrides-mesh-mtls|3|0|0|1',
      'istio 1.31.0 / destinationrule-without-tls-overrides-mesh-mtls|2|1|1|0',
      'istio 1.31.0 / ingress-tls-simple|1|0|0|0',
    ]);
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="istio-casebook" tests="6" failures="1" errors="1" skipped="1" time="14\.600"/,
    );
    assert.equal([...xml.matchAll(/<testcase /g)].length, 6);
    assert.equal([...xml.matchAll(/<testsuite /g)].length, 3);
  });

  test('failure carries the check messages (escaped), error the harness error, skipped its reason', () => {
    assert.ok(
      xml.includes(
        '<failure type="not-reproduced" message="expected reproduced, got not-reproduced">probe call (http): did not hold after 2 attempt(s)\n  expected status 503, got status 200; body "{\\"args\\": {}}" &lt;&amp;&gt; \\u0007\nevidence: client access log → x/broken/access.log</failure>',
      ),
      xml,
    );
    assert.ok(
      xml.includes(
        '<error type="error" message="expected fixed, got error: exec into curl failed: pod not ready">harness error: exec into curl failed: pod not ready</error>',
      ),
      xml,
    );
    assert.ok(xml.includes('<skipped message="not selected by --phase broken,fixed"/>'), xml);
    assert.ok(
      xml.includes('<testcase name="broken" classname="istio-1.30.3.destinationrule-without-tls-overrides-mesh-mtls" time="3.200"/>'),
      xml,
    );
  });

  test('a real XML parser accepts it (python3 xml.etree) and sees the same structure', (t) => {
    const probe = spawnSync('python3', ['--version']);
    if (probe.error || probe.status !== 0) {
      t.skip('python3 is not installed: no XML parser available to cross-check');
      return;
    }
    const script = [
      'import sys, json, xml.etree.ElementTree as ET',
      'root = ET.fromstring(sys.stdin.buffer.read())',
      'print(json.dumps([[s.get("name"), [[c.get("name"), [ch.tag for ch in c]] for c in s.findall("testcase")]] for s in root.findall("testsuite")]))',
    ].join('\n');
    const parsed = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
    assert.equal(parsed.status, 0, parsed.stderr);
    assert.deepEqual(JSON.parse(parsed.stdout), [
      [
        'istio 1.30.3 / destinationrule-without-tls-overrides-mesh-mtls',
        [
          ['broken', []],
          ['fixed', []],
          ['control-auto-mtls', ['skipped']],
        ],
      ],
      [
        'istio 1.31.0 / destinationrule-without-tls-overrides-mesh-mtls',
        [
          ['broken', ['failure']],
          ['fixed', ['error']],
        ],
      ],
      ['istio 1.31.0 / ingress-tls-simple', [['fixed', []]]],
    ]);
  });
});

test('writeReports writes results.json (round-trips) and junit.xml', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-report-'));
  try {
    const run = sampleRun();
    const paths = await writeReports(join(dir, 'nested', 'run-1'), run);
    assert.deepEqual(JSON.parse(readFileSync(paths.json, 'utf8')), run);
    assert.equal(readFileSync(paths.junit, 'utf8'), renderJUnit(run));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
