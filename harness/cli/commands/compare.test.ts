import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { RunResults } from '../../model/results.ts';
import { sampleRun } from '../../report/testing/sample-run.ts';
import { REPO } from '../testing/temp-root.ts';

/** `casebook compare` as CI runs it: a child process on two files, judged by exit code and output. */
const BIN = join(REPO, 'bin', 'casebook.mjs');
const DR = 'destinationrule-without-tls-overrides-mesh-mtls';
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'casebook-compare-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: RunResults | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function casebook(args: string[]) {
  return execa(process.execPath, [BIN, 'compare', ...args], { reject: false, timeout: 60_000, cwd: REPO });
}

/** Last week's run on 1.30.3 only: the failure reproduced, the fix held. */
function oldRun(): RunResults {
  const run = sampleRun();
  return { ...run, runId: 'run-old', istioVersions: ['1.30.3'], results: run.results.filter((r) => r.istio === '1.30.3') };
}

describe('casebook compare (spawned)', () => {
  test('identical runs: "no verdict changed", exit 0', async () => {
    const r = await casebook([file('a.json', sampleRun()), file('b.json', sampleRun())]);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout.split('\n').at(-1), 'no verdict changed');
    assert.equal(r.stderr, '');
  });

  test("old-version baseline vs a run on both versions: the upgrade's regression is listed, exit 1", async () => {
    const r = await casebook([file('old.json', oldRun()), file('new.json', sampleRun())]);
    assert.equal(r.exitCode, 1, r.stderr);
    assert.deepEqual(r.stdout.split('\n'), [
      'baseline run-old (istio 1.30.3) → current run-1 (istio 1.30.3, 1.31.0)',
      'istio 1.30.3: no verdict changed among 3 phase(s) compared',
      'istio 1.30.3 → 1.31.0: 4 change(s), 2 phase(s) compared',
      `  ✗ ${DR}/broken: reproduced → not-reproduced (expected reproduced): regression`,
      `  ✗ ${DR}/fixed: fixed → error (expected fixed): regression`,
      `  - ${DR}/control-auto-mtls: phase removed (was skipped)`,
      '  + scenario ingress-tls-simple: new (fixed)',
      `2 regression(s), as expected in the baseline and not now: istio 1.30.3 → 1.31.0: ${DR}/broken, ${DR}/fixed`,
      `gate fails: istio 1.31.0: ${DR}/control-auto-mtls has no result in the current run`,
    ]);
  });

  test('W1: a current run with no results, or without a scenario the baseline had, fails (exit 1) instead of passing on nothing', async () => {
    const empty = await casebook([file('base.json', sampleRun()), file('empty.json', { ...sampleRun(), runId: 'empty', results: [] })]);
    assert.equal(empty.exitCode, 1, empty.stdout);
    assert.match(empty.stdout, /^gate fails: no phase was compared/m);
    const run = sampleRun();
    const dropped = { ...run, runId: 'dropped', results: run.results.filter((r) => r.scenario !== DR) };
    const r = await casebook([file('base2.json', sampleRun()), file('dropped.json', dropped)]);
    assert.equal(r.exitCode, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`^gate fails: istio 1\\.30\\.3: scenario ${DR} has no results in the current run`, 'm'));
    const allowed = await casebook([file('base3.json', sampleRun()), file('dropped2.json', dropped), '--allow-removed']);
    assert.equal(allowed.exitCode, 0, allowed.stdout);
  });

  test('--json prints the comparison; the report folder works in place of results.json', async () => {
    file('results.json', sampleRun());
    const r = await casebook([file('old.json', oldRun()), dir, '--json']);
    assert.equal(r.exitCode, 1, r.stderr);
    const c = JSON.parse(r.stdout) as { regressions: number; versions: { baseline: string; current: string }[] };
    assert.equal(c.regressions, 2);
    assert.deepEqual(
      c.versions.map((v) => `${v.baseline}→${v.current}`),
      ['1.30.3→1.30.3', '1.30.3→1.31.0'],
    );
  });

  test('missing, non-JSON or wrongly shaped files are usage errors (2) naming the file and the problem', async () => {
    const good = file('good.json', sampleRun());
    const cases: [string[], RegExp][] = [
      [[join(dir, 'nope.json'), good], /^error: baseline \S+\/nope\.json does not exist\nhint: pass the results\.json of a casebook run/],
      [[good, file('junit.xml', '<testsuites/>')], /^error: current \S+\/junit\.xml is not JSON: Unexpected token '<'/],
      [
        [good, file('other.json', '{"runId": "x", "results": [{"scenario": "a"}]}')],
        /^error: current \S+\/other\.json is not a casebook results\.json: the top level must have required property 'istioVersions'; \/results\/0 must have required property 'phase'/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await casebook(args);
      assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const missingArg = await casebook([good]);
    assert.equal(missingArg.exitCode, 2);
    assert.match(missingArg.stderr, /missing required argument 'current'/);
  });
});
