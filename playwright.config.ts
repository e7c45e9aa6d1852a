import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { CasebookWorkerFixtures } from './harness/host/casebook-test.ts';
import { watchCasebookParent } from './harness/host/parent-watch.ts';
import { currentRunEnv, encodeRunEnv } from './harness/host/run-env.ts';

// `casebook run` describes the run in CASEBOOK_* variables; `npm run test:e2e` starts here with
// none, so the e2e defaults are fixed now and exported, and every worker sees the same run id.
const env = currentRunEnv();
watchCasebookParent();
Object.assign(process.env, encodeRunEnv(env));

export default defineConfig<object, Pick<CasebookWorkerFixtures, 'istioVersion'>>({
  testDir: './harness/host',
  testMatch: '**/*.spec.ts',
  outputDir: join(env.reportDir, 'playwright'),
  // A batch of scenarios on a real cluster: rollouts and settling take minutes.
  timeout: 30 * 60_000,
  // One worker: scenarios share one cluster per Istio version; isolation inside a batch is ours.
  // --parallel-versions: one worker per version, each on its own kind cluster (harness/host/version-clusters.ts).
  workers: env.parallelVersions ? env.istio.length : 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  globalTeardown: './harness/host/global-teardown.ts',
  reporter: [['list'], ['./harness/host/results-reporter.ts']],
  projects: env.istio.map((v) => ({ name: `istio-${v}`, use: { istioVersion: v } })),
});
