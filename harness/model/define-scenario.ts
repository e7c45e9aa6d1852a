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
  (S extends { phases: infer P } ? { phases: { [K in keyof P]: NoExtraKeys<Phase, P[K]> & PhaseNames<S, P[K]> } } : unknown) &
  (S extends { workshop: infer W } ? { workshop: WorkshopNames<S, W> } : unknown);

/** The probe names a scenario declares. */
export type ProbeNameOf<S> = S extends { probes: infer P } ? Extract<keyof P, string> : never;
/** The workload names a scenario declares. */
export type WorkloadNameOf<S> = S extends { workloads: readonly (infer W)[] }
  ? W extends { name: infer N extends string }
    ? N
    : never
  : never;
/** Keys of a phase's `config.expect`: a probe, Istio's analyzers, or istio-init's rules for a workload. */
export type ConfigKeyOf<S> = ProbeNameOf<S> | 'analysis' | `iptables:${WorkloadNameOf<S>}`;
/** Keys of `workshop.outcome` and `workshop.controls`, and entries of `workshop.evidence`: a config key or a workload's whole listener table. */
export type WorkshopKeyOf<S> = ConfigKeyOf<S> | `listeners:${WorkloadNameOf<S>}`;
/** An evidence entry (docs/authoring-scenarios.md §8) naming workloads W and probes P. */
export type EvidenceName<W extends string, P extends string> =
  | `listeners:${W}`
  | `listeners:${W}:${number}`
  | `access-log:${W}`
  | `cluster-tls:${W}`
  | `istio-init:${W}`
  | `served-certificate:${P}`
  | 'gateway-config'
  | 'gateway-log'
  | 'gateway-secrets';

/**
 * Each key of T must be one of Allowed; another key's value must be a sentence saying so, which no
 * check is, so `tsc` reports the misspelt key with that sentence. A record whose keys were widened
 * to `string` (built elsewhere without a literal type) is left to `casebook validate`.
 */
type Named<T, Allowed extends string, What extends string> = string extends keyof T
  ? T
  : { [K in keyof T]: K extends Allowed ? T[K] : `'${K & string}' is not ${What}` };
/** The same for the entries of a list. */
type NamedList<L, Allowed extends string, What extends string> = string extends L[keyof L & number]
  ? L
  : { [I in keyof L]: L[I] extends Allowed ? L[I] : `'${L[I] & string}' is not ${What}` };

type PhaseNames<S, Ph> = (Ph extends { expect: infer E } ? { expect: Named<E, ProbeNameOf<S>, 'a probe of this scenario'> } : unknown) &
  (Ph extends { config: { expect: infer C } }
    ? { config: { expect: Named<C, ConfigKeyOf<S>, 'a probe of this scenario, analysis or iptables:<workload>'> } }
    : unknown) &
  (Ph extends { evidence: infer Ev }
    ? { evidence: NamedList<Ev, EvidenceName<WorkloadNameOf<S>, ProbeNameOf<S>>, "evidence about this scenario's workloads or probes"> }
    : unknown);

type WorkshopNames<S, W> = (W extends { outcome: infer O }
  ? { outcome: Named<O, WorkshopKeyOf<S>, 'a probe of this scenario, analysis, iptables:<workload> or listeners:<workload>'> }
  : unknown) &
  (W extends { controls: infer C }
    ? { controls: Named<C, WorkshopKeyOf<S>, 'a probe of this scenario, analysis, iptables:<workload> or listeners:<workload>'> }
    : unknown) &
  (W extends { evidence: infer Ev }
    ? { evidence: NamedList<Ev, WorkshopKeyOf<S>, 'a probe of this scenario, analysis, iptables:<workload> or listeners:<workload>'> }
    : unknown);

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
export const SCENARIO_FIELDS = [
  'id',
  'title',
  'source',
  'symptom',
  'cause',
  'fix',
  'mesh',
  'isolation',
  'workloads',
  'setup',
  'external',
  'certificates',
  'probes',
  'phases',
  'versions',
  'workshop',
] as const;
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
