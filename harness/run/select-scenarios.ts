import { loadScenarios } from '../load/load-scenarios.ts';
import { UsageError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

/** The registry's scenarios the run asked for (all when `ids` is empty), in registry order. */
export async function selectScenarios(ids: readonly string[], root: string): Promise<ScenarioDefinition[]> {
  const all = await loadScenarios({ root });
  if (ids.length === 0) return all;
  const unknown = ids.filter((id) => !all.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scenario id(s): ${unknown.join(', ')}`, 'list them with `npx casebook list`');
  }
  return all.filter((s) => ids.includes(s.id));
}
