import type { Check } from '../model/check.ts';
import { makeCheck, result } from './describe.ts';

/**
 * Checks of different probe kinds combine: `all(ok(), certSubject(/x/))` judges what both accept
 * (http or ingress observations): the combined observation type is the intersection of theirs.
 * Distribute over the checks (not over the members of each observation union), then intersect.
 */
type AsParam<C> = C extends Check<infer O> ? (x: [O]) => void : never;
type Both<C extends readonly Check<any>[]> = (AsParam<C[number]> extends unknown ? AsParam<C[number]> : never) extends (x: infer I) => void
  ? I extends [unknown]
    ? I[0]
    : never
  : never;

/** Every check must hold; the message lists each one, so a failure shows which part broke. */
export function all<O>(...checks: Check<O>[]): Check<O>;
export function all<C extends Check<any>[]>(...checks: C): Check<Both<C>>;
export function all(...checks: Check<any>[]): Check<any> {
  return makeCheck(
    `all(${checks.map((c) => c.name).join(', ')})`,
    (o: unknown) => {
      const results = checks.map((c) => ({ c, r: c.evaluate(o) }));
      const failed = results.filter((x) => !x.r.ok);
      const shown = (failed.length > 0 ? failed : results).map((x) => `${x.c.name}: ${x.r.message}`);
      return result(
        failed.length === 0,
        failed.length === 0 ? shown.join('; ') : `${failed.length} of ${checks.length} failed: ${shown.join('; ')}`,
      );
    },
    { parts: checks },
  );
}

/** At least one check must hold (documented alternatives, e.g. curl exit 35 or 56). */
export function any<O>(...checks: Check<O>[]): Check<O>;
export function any<C extends Check<any>[]>(...checks: C): Check<Both<C>>;
export function any(...checks: Check<any>[]): Check<any> {
  return makeCheck(
    `any(${checks.map((c) => c.name).join(', ')})`,
    (o: unknown) => {
      const results = checks.map((c) => ({ c, r: c.evaluate(o) }));
      const held = results.find((x) => x.r.ok);
      if (held) return result(true, `${held.c.name}: ${held.r.message}`);
      return result(false, `none held: ${results.map((x) => `${x.c.name}: ${x.r.message}`).join('; ')}`);
    },
    { parts: checks },
  );
}

export function not<O>(check: Check<O>): Check<O> {
  return makeCheck(
    `not(${check.name})`,
    (o: O) => {
      const r = check.evaluate(o);
      return result(
        !r.ok,
        r.ok ? `expected ${check.name} not to hold, but it did: ${r.message}` : `${check.name} did not hold, as expected: ${r.message}`,
      );
    },
    { parts: [check] },
  );
}
