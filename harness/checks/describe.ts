import type { Check, CheckResult } from '../model/check.ts';

/** Builds a named check from a judge function. */
export function makeCheck<O>(name: string, evaluate: (observation: O) => CheckResult): Check<O> {
  return { name, evaluate };
}

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
export function wrongKind(name: string, observation: unknown, wanted: string): CheckResult {
  const kind = (observation as { kind?: unknown } | undefined)?.kind;
  return result(false, `expected a ${wanted} observation for ${name}, got ${kind === undefined ? 'no observation' : `a ${String(kind)} observation`}`);
}
