import type { ScenarioDefinition } from './scenario.ts';

/**
 * Declares a scenario. Pure: it only returns the definition, so loading the registry never
 * touches a cluster. Cross-checks (probes named in phases exist, manifests exist, ids unique)
 * happen in one pass at load time, which reports every problem at once.
 */
export function defineScenario<const S extends ScenarioDefinition>(scenario: S): S {
  return scenario;
}
