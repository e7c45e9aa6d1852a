import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestInfo } from '@playwright/test';
import { runBatchTest } from './batch-test.ts';
import { ATTACHMENT } from './attachments.ts';
import type { CasebookWorker } from './casebook-test.ts';
import type { RunDefinition } from './run-definition.ts';
import type { PhaseResult } from '../model/results.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

const scenario = {
  id: 's1',
  phases: { broken: { summary: '', apply: [], expect: {} }, fixed: { summary: '', apply: [], expect: {} } },
} as unknown as ScenarioDefinition;
const def = {
  root: '/repo',
  scenarios: [scenario],
  batches: [],
  env: { reportDir: '/tmp/none', runId: 'r1', keep: false, concurrency: 1, istio: ['1.30.3'] },
} as unknown as RunDefinition;

function fakeTestInfo() {
  const attached: { name: string; body: string }[] = [];
  const info = {
    setTimeout: () => {},
    attach: async (name: string, o: { body?: string }) => {
      attached.push({ name, body: String(o.body) });
    },
  } as unknown as TestInfo;
  return { info, attached };
}

test('batch test without a cluster (missing prerequisites): every phase is attached as skipped with the short reason, and the test skips with the full one', async () => {
  const { info, attached } = fakeTestInfo();
  const skipped: string[] = [];
  const worker: CasebookWorker = {
    ok: false,
    istio: '1.30.3',
    def,
    kind: 'prerequisite',
    reason: 'missing for a real run:\n  - kind 0.32.0: cannot download',
    short: 'prerequisites missing: kind 0.32.0',
  };
  await runBatchTest({
    batch: { installKey: 'k', ids: ['s1'], pool: [], lane: ['s1'] },
    worker,
    testInfo: info,
    step: (_t, b) => b(),
    addStack: () => {},
    skip: (r) => {
      skipped.push(r);
    },
  });
  const results = attached.filter((a) => a.name === ATTACHMENT.phaseResult).map((a) => JSON.parse(a.body) as PhaseResult);
  assert.deepEqual(
    results.map((r) => [r.phase, r.verdict, r.skippedReason]),
    [
      ['broken', 'skipped', 'prerequisites missing: kind 0.32.0'],
      ['fixed', 'skipped', 'prerequisites missing: kind 0.32.0'],
    ],
  );
  assert.deepEqual(
    attached.filter((a) => a.name === ATTACHMENT.prerequisite).map((a) => a.body),
    ['missing for a real run:\n  - kind 0.32.0: cannot download'],
  );
  assert.deepEqual(skipped, ['missing for a real run:\n  - kind 0.32.0: cannot download']);
});

test('batch test whose cluster broke: every phase is error and the test fails', async () => {
  const { info, attached } = fakeTestInfo();
  const worker: CasebookWorker = {
    ok: false,
    istio: '1.30.3',
    def,
    kind: 'error',
    reason: 'kind create cluster failed (exit 1)',
    short: 'kind create cluster failed (exit 1)',
  };
  await assert.rejects(
    runBatchTest({
      batch: { installKey: 'k', ids: ['s1'], pool: [], lane: ['s1'] },
      worker,
      testInfo: info,
      step: (_t, b) => b(),
      addStack: () => {},
      skip: () => assert.fail('must not skip'),
    }),
    /cluster not ready: kind create cluster failed/,
  );
  const results = attached.filter((a) => a.name === ATTACHMENT.phaseResult).map((a) => JSON.parse(a.body) as PhaseResult);
  assert.deepEqual(
    results.map((r) => [r.verdict, r.error]),
    [
      ['error', 'cluster not ready: kind create cluster failed (exit 1)'],
      ['error', 'cluster not ready: kind create cluster failed (exit 1)'],
    ],
  );
});
