import type { Check } from '../model/check.ts';
import type { HttpObservation } from '../model/observation.ts';
import { kindCheck, result } from './describe.ts';

/** Splits a repeated http observation into one observation per response. */
function perResponse(o: HttpObservation): HttpObservation[] {
  return o.responses.map((r) => ({ ...o, responses: [r] }));
}

/** Holds when `inner` holds for at least one response of a repeated http probe. */
export function atLeastOne(inner: Check<HttpObservation>): Check<HttpObservation> {
  const name = `atLeastOne(${inner.name})`;
  return kindCheck(name, ['http'], (o: HttpObservation) => {
    const singles = perResponse(o);
    const results = singles.map((s) => inner.evaluate(s));
    const hit = results.findIndex((r) => r.ok);
    if (hit !== -1) return result(true, `response ${hit + 1} of ${singles.length}: ${results[hit]!.message}`);
    return result(
      false,
      `expected ${inner.name} for at least one of ${singles.length} responses, got none; first: ${results[0]?.message ?? 'no response'}`,
    );
  });
}

/** Holds when each pattern matched some response body (e.g. both v1 and v2 answered). */
export function seenAll(patterns: readonly RegExp[]): Check<HttpObservation> {
  const name = `seenAll(${patterns.join(', ')})`;
  return kindCheck(name, ['http'], (o: HttpObservation) => {
    const bodies = o.responses.map((r) => r.body);
    const missing = patterns.filter((p) => !bodies.some((b) => p.test(b)));
    const distinct = [...new Set(bodies.map((b) => b.replace(/\s+/g, ' ').trim().slice(0, 60)))].slice(0, 5);
    const got = `${bodies.length} responses with bodies ${distinct.map((b) => JSON.stringify(b)).join(', ') || '(none)'}`;
    if (missing.length === 0) return result(true, `expected bodies matching ${patterns.join(' and ')}, got ${got}`);
    return result(false, `expected bodies matching ${patterns.join(' and ')}, got no match for ${missing.join(', ')} in ${got}`);
  });
}
