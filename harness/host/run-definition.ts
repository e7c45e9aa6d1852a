import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { casebookRoot } from '../load/casebook-root.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { Batch } from '../run/isolation-schedule.ts';
import { planManifestPaths, planRun } from '../run/plan.ts';
import { currentRunEnv, type RunEnv } from './run-env.ts';
import { loadScenarios } from '../load/load-scenarios.ts';
import { selectScenarios } from '../load/select-scenarios.ts';

export type RunDefinition = { root: string; env: RunEnv; scenarios: ScenarioDefinition[]; batches: Batch[] };

/**
 * What the generated Playwright spec declares: the selected scenarios in the batches of the plan
 * (`casebook plan` and the run order agree because both come from planRun).
 */
export async function runDefinition(env: RunEnv = currentRunEnv(), root: string = casebookRoot()): Promise<RunDefinition> {
  const scenarios = selectScenarios(await loadScenarios({ root }), env.ids);
  const paths = planManifestPaths(scenarios);
  const manifests = new Map(await Promise.all(paths.map(async (p) => [p, await readFile(join(root, p), 'utf8')] as const)));
  const plan = planRun({ scenarios, istioVersions: env.istio.slice(0, 1), manifests, clusterName: env.clusterName, runId: env.runId });
  return { root, env, scenarios, batches: plan.versions[0]?.batches ?? [] };
}
