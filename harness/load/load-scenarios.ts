import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioLoadError, type LoadProblem } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { casebookRoot, layout } from './casebook-root.ts';
import { definitionProblems } from './definition-problems.ts';
import { fileProblems, scenarioFolders, type FolderModule } from './file-problems.ts';

/**
 * Loads the registry (scenarios/index.ts, `export const scenarios = [...]`) and checks it against
 * the files in one pass. Throws ScenarioLoadError carrying EVERY problem found, each with its
 * location, so one `casebook validate` shows the whole list.
 *
 * Manifest namespace rule (enforced by harness/validate): scenario and mesh manifests name their
 * namespace on every namespaced object; shared workload manifests (manifests/workloads/*.yaml) do
 * not, because the runner puts them into the namespace of the scenario's WorkloadRef.
 */
export async function loadScenarios(opts: { root?: string } = {}): Promise<ScenarioDefinition[]> {
  const { scenarios, problems } = await inspectScenarios(opts);
  if (problems.length > 0) throw new ScenarioLoadError(problems);
  return scenarios;
}

/** The same checks without throwing: the scenarios that could be read, and every problem. */
export async function inspectScenarios(
  opts: { root?: string } = {},
): Promise<{ scenarios: ScenarioDefinition[]; problems: LoadProblem[] }> {
  const root = opts.root ?? casebookRoot();
  const problems: LoadProblem[] = [];
  const registered = await importRegistry(root, problems);
  const folders: FolderModule[] = [];
  for (const folder of scenarioFolders(root)) {
    const file = join(root, layout.scenarioModule(folder));
    if (!existsSync(file)) {
      problems.push({
        location: `${layout.scenarioDir(folder)}/`,
        message: 'folder without scenario.ts (every folder under scenarios/ is one scenario)',
      });
      continue;
    }
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      folders.push({ folder, exported: mod.default });
    } catch (e) {
      folders.push({ folder, importError: (e as Error).message });
    }
  }
  const wellFormed = registered.filter((s, i) => shapeOk(s, i, problems));
  problems.push(...definitionProblems(wellFormed));
  problems.push(...fileProblems(root, wellFormed, folders));
  return { scenarios: wellFormed, problems };
}

async function importRegistry(root: string, problems: LoadProblem[]): Promise<unknown[]> {
  const file = join(root, layout.registry);
  if (!existsSync(file)) {
    problems.push({ location: layout.registry, message: 'missing: the registry lists every scenario (export const scenarios = [...])' });
    return [];
  }
  try {
    const mod = (await import(pathToFileURL(file).href)) as { scenarios?: unknown };
    if (!Array.isArray(mod.scenarios)) {
      problems.push({ location: layout.registry, message: 'must export `scenarios`, an array of scenario definitions' });
      return [];
    }
    return mod.scenarios;
  } catch (e) {
    problems.push({ location: layout.registry, message: `cannot be imported: ${(e as Error).message}` });
    return [];
  }
}

/** Enough structure for the other rules to run without crashing; the type system does the rest. */
function shapeOk(s: unknown, index: number, problems: LoadProblem[]): s is ScenarioDefinition {
  const o = s as Partial<Record<keyof ScenarioDefinition, unknown>> | undefined;
  const missing = ['id', 'mesh', 'workloads', 'probes', 'phases'].filter((k) => o?.[k as keyof ScenarioDefinition] === undefined);
  if (typeof o !== 'object' || o === null || missing.length > 0) {
    problems.push({
      location: `${layout.registry}: scenarios[${index}]`,
      message: `not a scenario definition (missing ${missing.join(', ') || 'everything'})`,
    });
    return false;
  }
  return true;
}
