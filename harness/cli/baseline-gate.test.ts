import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunResults } from '../model/results.ts';
import type { RunOptions } from '../model/run-options.ts';
import { compareResults } from '../report/compare-results.ts';
import { renderComparisonMarkdown } from '../report/render-comparison.ts';
import { sampleRun } from '../report/testing/sample-run.ts';
import { runCli } from './run-cli.ts';
import { makeTempRoot } from './testing/temp-root.ts';

/**
 * `casebook run --baseline`: the runner is replaced by a fake that writes the results.json a
 * real run would have written into its report folder and returns the runner's exit code.
 */
let root: string;
let dispose: () => void;
let work: string;
before(() => {
  ({ root, dispose } = makeTempRoot());
  work = mkdtempSync(join(tmpdir(), 'casebook-baseline-'));
});
after(() => {
  dispose();
  rmSync(work, { recursive: true, force: true });
});

const DR = 'destinationrule-without-tls-overrides-mesh-mtls';
const EXISTING = ['--cluster', 'existing', '--kubeconfig', '/dev/null', '--allow-mesh-wide'];

/** A baseline in which every phase was as expected (the sample run before something broke on 1.31.0). */
function goodRun(): RunResults {
  const run = sampleRun();
  return {
    ...run,
    runId: 'run-0',
    results: run.results.map((r) => (r.istio === '1.31.0' && r.scenario === DR ? { ...r, verdict: r.expected, asExpected: true } : r)),
  };
}

function fakeRunner(name: string, results: RunResults | undefined, exitCode: 0 | 1 | 2) {
  const reportDir = join(work, name);
  const calls: RunOptions[] = [];
  const startRun = async (o: RunOptions) => {
    calls.push(o);
    mkdirSync(reportDir, { recursive: true });
    if (results) writeFileSync(join(reportDir, 'results.json'), JSON.stringify(results));
    return { exitCode, reportDir };
  };
  return { reportDir, calls, startRun };
}

async function run(args: string[], runner: ReturnType<typeof fakeRunner>) {
  let out = '';
  let err = '';
  const code = await runCli(
    ['run', ...EXISTING, ...args],
    {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      env: { CASEBOOK_ROOT: root },
    },
    { startRun: async () => runner.startRun },
  );
  return { code, out, err };
}

function baselineFile(name: string, results: RunResults): string {
  const path = join(work, name);
  writeFileSync(path, JSON.stringify(results));
  return path;
}

describe('casebook run --baseline', () => {
  test('a regression against the baseline: changes printed, comparison.json/.md written, exit 1', async () => {
    const runner = fakeRunner('regressed', sampleRun(), 1);
    const r = await run(['--istio', '1.30.3,1.31.0', '--baseline', baselineFile('good.json', goodRun())], runner);
    assert.equal(r.code, 1, r.err);
    assert.equal(runner.calls.length, 1);
    assert.ok(r.out.includes(`\n  ✗ ${DR}/broken: reproduced → not-reproduced (expected reproduced): regression\n`), r.out);
    assert.match(r.out, /^2 regression\(s\), as expected in the baseline and not now: istio 1\.31\.0: /m);
    assert.match(r.out, new RegExp(`^comparison: ${runner.reportDir}/comparison\\.json, ${runner.reportDir}/comparison\\.md$`, 'm'));
    const expected = compareResults(goodRun(), sampleRun());
    assert.deepEqual(JSON.parse(readFileSync(join(runner.reportDir, 'comparison.json'), 'utf8')), expected);
    assert.equal(readFileSync(join(runner.reportDir, 'comparison.md'), 'utf8'), renderComparisonMarkdown(expected));
  });

  test('the regression alone makes the exit code 1, even when the runner said 0', async () => {
    const runner = fakeRunner('runner-ok', sampleRun(), 0);
    const r = await run(['--baseline', baselineFile('good2.json', goodRun())], runner);
    assert.equal(r.code, 1, r.out + r.err);
  });

  test("nothing regressed: the runner's exit code stands", async () => {
    const same = fakeRunner('same', goodRun(), 0);
    const r = await run(['--baseline', baselineFile('good3.json', goodRun())], same);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^no verdict changed$/m);
    const improved = fakeRunner('improved', goodRun(), 0);
    const i = await run(['--baseline', baselineFile('sample.json', sampleRun())], improved);
    assert.equal(i.code, 0, i.out + i.err);
    assert.match(i.out, /^no regression \(2 change\(s\)\)$/m);
  });

  test('a missing or invalid baseline is a usage error (2) before the runner starts', async () => {
    const runner = fakeRunner('never', sampleRun(), 0);
    const missing = await run(['--baseline', join(work, 'nope.json')], runner);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: baseline \S+\/nope\.json does not exist\n/);
    writeFileSync(join(work, 'bad.json'), '{"runId": 1}');
    const bad = await run(['--baseline', join(work, 'bad.json')], runner);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /^error: baseline \S+\/bad\.json is not a casebook results\.json: the top level must have required property 'istioVersions'; the top level must have required property 'results'; \/runId must be string\n/,
    );
    assert.equal(runner.calls.length, 0);
  });

  test('W1: a run without results.json fails the gate even when the runner said 0; prerequisites (2) skip the comparison', async () => {
    const broken = fakeRunner('no-results', undefined, 0);
    const r = await run(['--baseline', baselineFile('good4.json', goodRun())], broken);
    assert.equal(r.code, 1);
    assert.match(r.out, /^baseline: the run wrote no \S+\/no-results\/results\.json; nothing was compared, so the gate fails$/m);
    const prereq = fakeRunner('prereq', sampleRun(), 2);
    const p = await run(['--baseline', baselineFile('good5.json', goodRun())], prereq);
    assert.equal(p.code, 2);
    assert.equal(existsSync(join(prereq.reportDir, 'comparison.json')), false);
  });
});
