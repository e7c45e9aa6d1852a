import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig, FullResult, Suite, TestCase, TestResult } from '@playwright/test/reporter';
import CasebookResultsReporter from './results-reporter.ts';
import { ATTACHMENT } from './attachments.ts';
import { decodeRunEnv } from './run-env.ts';
import type { PhaseResult } from '../model/results.ts';
import { phaseResult } from '../report/testing/sample-run.ts';

const phase = phaseResult;
const testCase = (title: string) => ({ titlePath: () => ['', 'istio-1.30.3', 'casebook.spec.ts', title] }) as unknown as TestCase;
const testResult = (status: TestResult['status'], attachments: { name: string; body: string }[], error?: string) =>
  ({
    status,
    attachments: attachments.map((a) => ({ name: a.name, contentType: 'application/json', body: Buffer.from(a.body) })),
    ...(error ? { error: { message: error } } : {}),
  }) as unknown as TestResult;

async function runReporter(
  t: { after(fn: () => unknown): void },
  feed: (r: CasebookResultsReporter) => void,
  status: FullResult['status'] = 'passed',
) {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-reporter-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const saved = { ...process.env };
  Object.assign(process.env, {
    CASEBOOK_RUN_ID: 'r1',
    CASEBOOK_REPORT_DIR: dir,
    CASEBOOK_ISTIO: '1.30.3',
    CASEBOOK_CLUSTER: 'kind',
    CASEBOOK_IDS: 's1',
  });
  const write = process.stdout.write.bind(process.stdout);
  const printed: string[] = [];
  process.stdout.write = ((s: string) => {
    printed.push(String(s));
    return true;
  }) as typeof process.stdout.write;
  try {
    const reporter = new CasebookResultsReporter({ run: () => decodeRunEnv(process.env, { istio: ['1.30.3'], root: dir }) });
    reporter.onBegin({} as FullConfig, {} as Suite);
    feed(reporter);
    await reporter.onEnd({ status } as FullResult);
  } finally {
    process.stdout.write = write;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  }
  return {
    dir,
    printed: printed.join(''),
    outcome: JSON.parse(await readFile(join(dir, 'outcome.json'), 'utf8')),
    results: JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')),
  };
}

test('reporter: phase results attached by the tests become results.json, junit.xml and exit code 0 when all are as expected', async (t) => {
  const { dir, outcome, results, printed } = await runReporter(t, (r) => {
    r.onTestEnd(
      testCase('s1'),
      testResult('passed', [
        { name: ATTACHMENT.phaseResult, body: JSON.stringify(phase({})) },
        {
          name: ATTACHMENT.phaseResult,
          body: JSON.stringify(phase({ phase: 'fixed', intent: 'fix', verdict: 'fixed', expected: 'fixed' })),
        },
      ]),
    );
  });
  assert.equal(outcome.exitCode, 0);
  assert.deepEqual(
    results.results.map((r: PhaseResult) => `${r.phase}=${r.verdict}`),
    ['broken=reproduced', 'fixed=fixed'],
  );
  assert.equal(results.runId, 'r1');
  assert.deepEqual(results.cluster, { provider: 'kind', name: 'casebook' });
  assert.match(await readFile(join(dir, 'junit.xml'), 'utf8'), /<testsuite/);
  assert.match(printed, /2\/2 phases as expected/);
});

test('reporter: a verdict not as expected is 1; missing prerequisites are 2 and printed in full', async (t) => {
  const bad = await runReporter(t, (r) =>
    r.onTestEnd(
      testCase('s1'),
      testResult('failed', [
        { name: ATTACHMENT.phaseResult, body: JSON.stringify(phase({ verdict: 'not-reproduced', asExpected: false })) },
      ]),
    ),
  );
  assert.equal(bad.outcome.exitCode, 1);
  const missing = await runReporter(t, (r) =>
    r.onTestEnd(
      testCase('s1'),
      testResult('skipped', [
        {
          name: ATTACHMENT.phaseResult,
          body: JSON.stringify(phase({ verdict: 'skipped', expected: 'skipped', skippedReason: 'prerequisites missing: kind 0.32.0' })),
        },
        { name: ATTACHMENT.prerequisite, body: 'missing for a real run:\n  - kind 0.32.0: cannot download' },
      ]),
    ),
  );
  assert.equal(missing.outcome.exitCode, 2);
  assert.match(missing.printed, /missing for a real run:\n {2}- kind 0\.32\.0: cannot download/);
});

test('reporter: a test that failed before any verdict is never silent (exit 1, named)', async (t) => {
  const { outcome, printed } = await runReporter(t, (r) =>
    r.onTestEnd(testCase('s1'), testResult('timedOut', [], 'Test timeout of 1800000ms exceeded.')),
  );
  assert.equal(outcome.exitCode, 1);
  assert.deepEqual(outcome.problems, ['istio-1.30.3 › casebook.spec.ts › s1: timedOut: Test timeout of 1800000ms exceeded.']);
  assert.match(printed, /no verdict: istio-1\.30\.3 › casebook\.spec\.ts › s1/);
});
