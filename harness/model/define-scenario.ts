import type { Phase, ScenarioDefinition } from './scenario.ts';

/** Keys of T that Shape does not have become `never`, so a misspelt field is a type error. */
type NoExtraKeys<Shape, T> = { [K in keyof T]: K extends keyof Shape ? T[K] : never };

/**
 * The scenario and each of its phases may hold only the fields their types declare. `const S`
 * alone turns TypeScript's excess-property check off (S is inferred from the literal, extra keys
 * included), so a phase's `secretz` would compile and the phase would silently run without its
 * Secret.
 */
type ExactScenario<S> = NoExtraKeys<ScenarioDefinition, S> &
  (S extends { phases: infer P } ? { phases: { [K in keyof P]: NoExtraKeys<Phase, P[K]> } } : unknown);

/**
 * Declares a scenario. Pure: it only returns the definition, so loading the registry never
 * touches a cluster. Cross-checks (probes named in phases exist, manifests exist, ids unique)
 * happen in one pass at load time, which reports every problem at once.
 */
export function defineScenario<const S extends ScenarioDefinition>(scenario: S & ExactScenario<S>): S {
  return scenario;
}

/**
 * The same rule at run time, for `casebook validate` (a scenario written in plain JavaScript, or
 * one that slipped past tsc with a cast). The lists must name every field of the types: the
 * checks below fail to compile when a field is added to ScenarioDefinition or Phase and not here.
 */
export const SCENARIO_FIELDS = ['id', 'title', 'source', 'symptom', 'cause', 'fix', 'mesh', 'isolation', 'workloads', 'setup', 'external',
  'certificates', 'probes', 'phases', 'versions', 'workshop'] as const;
export const PHASE_FIELDS = ['summary', 'apply', 'secrets', 'expect', 'evidence', 'predicted', 'mesh', 'config'] as const;
type Missing<All, Listed> = Exclude<All, Listed>;
const everyScenarioField: Missing<keyof ScenarioDefinition, (typeof SCENARIO_FIELDS)[number]> extends never ? true : never = true;
const everyPhaseField: Missing<keyof Phase, (typeof PHASE_FIELDS)[number]> extends never ? true : never = true;
void everyScenarioField;
void everyPhaseField;

/** `field: message` for every key of the scenario or one of its phases that their types do not declare. */
export function unknownFields(s: object): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const check = (o: unknown, known: readonly string[], at: string) => {
    if (!o || typeof o !== 'object') return;
    for (const k of Object.keys(o)) {
      if (!known.includes(k)) out.push({ field: at ? `${at}.${k}` : k, message: `unknown field '${k}' (known: ${known.join(', ')})` });
    }
  };
  check(s, SCENARIO_FIELDS, '');
  const phases = (s as { phases?: unknown }).phases;
  if (phases && typeof phases === 'object') for (const [name, p] of Object.entries(phases)) check(p, PHASE_FIELDS, `phases.${name}`);
  return out;
}
