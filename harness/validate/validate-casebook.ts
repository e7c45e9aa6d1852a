import { inspectScenarios } from '../load/load-scenarios.ts';
import type { LoadProblem } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { problemLocation, type ManifestProblem } from './validate-manifest.ts';
import { validateManifests } from './validate-manifests.ts';

export type CasebookValidation = {
  scenarios: ScenarioDefinition[];
  /** Registry and cross-reference problems (harness/load). */
  loadProblems: LoadProblem[];
  /** Schema and namespace problems of the YAML under manifests/. */
  manifestProblems: ManifestProblem[];
  manifestFiles: number;
};

/** Everything `casebook validate` and the pre-flight of `casebook run` check, in one pass. */
export async function validateCasebook(root: string): Promise<CasebookValidation> {
  const { scenarios, problems } = await inspectScenarios({ root });
  const { files, problems: manifestProblems } = await validateManifests(root, scenarios);
  return { scenarios, loadProblems: problems, manifestProblems, manifestFiles: files };
}

/** All problems as load problems (location + message), the shape ScenarioLoadError carries. */
export function allProblems(v: CasebookValidation): LoadProblem[] {
  return [...v.loadProblems, ...v.manifestProblems.map((p) => ({ location: problemLocation(p), message: p.message }))];
}
