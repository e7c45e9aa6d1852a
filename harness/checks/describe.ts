import type { Check, CheckResult, ObservationKind } from '../model/check.ts';

/** Builds a named check from a judge function; `meta` is what validation reads without evaluating. */
export function makeCheck<O>(
  name: string,
  evaluate: (observation: O) => CheckResult,
  meta: Pick<Check<O>, 'judges' | 'parts'> = {},
): Check<O> {
  return { name, evaluate, ...meta };
}

/** The kind a check sees: envoy observations differ by what was read (stats, listeners, access log). */
export function observationKind(observation: unknown): string | undefined {
  const o = observation as { kind?: unknown; what?: unknown; read?: unknown } | undefined;
  if (o?.kind === undefined) return undefined;
  if (o.kind === 'kube') return `kube ${String(o.read)}`;
  return o.kind === 'envoy' ? `envoy ${String(o.what)}` : String(o.kind);
}

/**
 * A check that judges only the observation kinds it names. Given another kind it fails with the
 * wrong-kind message instead of guessing, and the kinds are declared so `casebook validate`
 * catches the mistake before a run.
 */
export function kindCheck<O>(name: string, judges: readonly ObservationKind[], evaluate: (observation: O) => CheckResult): Check<O> {
  return makeCheck(name, (o: O) => (judges.includes(observationKind(o) as ObservationKind) ? evaluate(o) : wrongKind(name, o, judges)), {
    judges,
  });
}

/** `tcp`, `http or ingress`, `http, ingress or browser`. */
export function kindList(kinds: readonly string[]): string {
  return kinds.length <= 1 ? kinds.join('') : `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Quotes output for a message: one line, bounded, so a failed verdict stays readable. */
export function quote(text: string | undefined, max = 160): string {
  if (text === undefined) return '(none)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** Renders an expected value list the way a reader writes it: `503` or `one of 502, 503`. */
export function oneOf(values: readonly (string | number)[]): string {
  return values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}`;
}

export function asList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}

export function showPattern(p: string | RegExp): string {
  return typeof p === 'string' ? JSON.stringify(p) : String(p);
}

export function matches(text: string, p: string | RegExp): boolean {
  return typeof p === 'string' ? text === p : p.test(text);
}

export function result(ok: boolean, message: string): CheckResult {
  return { ok, message };
}

/** Fails a check applied to an observation kind it cannot judge (a scenario wiring mistake). */
export function wrongKind(name: string, observation: unknown, judges: readonly ObservationKind[]): CheckResult {
  const kind = observationKind(observation);
  const wanted = kindList(judges);
  return result(
    false,
    `expected ${article(wanted)} ${wanted} observation for ${name}, got ${kind === undefined ? 'no observation' : `${article(kind)} ${kind} observation`}`,
  );
}
