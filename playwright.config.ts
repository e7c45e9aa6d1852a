import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { CasebookWorkerFixtures } from './harness/run/casebook-test.ts';
import { casebookRoot } from './harness/load/casebook-root.ts';
import { watchCasebookParent } from './harness/run/parent-watch.ts';
import { decodeRunEnv, encodeRunEnv } from './harness/run/run-env.ts';
import { DEFAULT_ISTIO_VERSIONS } from './harness/tools/versions.ts';

// `casebook run` describes the run in CASEBOOK_* variables; `npm run test:e2e` starts here with
// none, so the e2e defaults are fixed now and exported, and every worker sees the same run id.
const env = decodeRunEnv(process.env, { istio: DEFAULT_ISTIO_VERSIONS, root: casebookRoot() });
watchCasebookParent();
Object.assign(process.env, encodeRunEnv(env));

export default defineConfig<object, Pick<CasebookWorkerFixtures, 'istioVersion'>>({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: join(env.reportDir, 'playwright'),
  // A batch of scenarios on a real cluster: rollouts and settling take minutes.
  timeout: 30 * 60_000,
  // One worker: scenarios share one cluster per Istio version; isolation inside a batch is ours.
  // --parallel-versions: one worker per version, each on its own kind cluster (harness/run/version-clusters.ts).
  workers: env.parallelVersions ? env.istio.length : 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  globalTeardown: './harness/run/global-teardown.ts',
  reporter: [['list'], ['./harness/run/results-reporter.ts']],
  projects: env.istio.map((v) => ({ name: `istio-${v}`, use: { istioVersion: v } })),
});
