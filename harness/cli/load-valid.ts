import { ScenarioLoadError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { allProblems, validateCasebook } from '../validate/validate-casebook.ts';

/**
 * Load + full static validation, as `run` and `plan` need it before doing anything: every problem
 * at once, as a ScenarioLoadError (exit 2).
 */
export async function loadValidScenarios(root: string): Promise<ScenarioDefinition[]> {
  const v = await validateCasebook(root);
  const problems = allProblems(v);
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return v.scenarios;
}
