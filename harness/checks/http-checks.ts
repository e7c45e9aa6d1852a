import type { Check, CheckResult } from '../model/check.ts';
import type { BrowserObservation, HttpObservation, IngressErrorKind, IngressObservation } from '../model/observation.ts';
import { asList, kindCheck, oneOf, quote, result, showPattern } from './describe.ts';
import { describeExchange, exchangesOf, headerValue, type Exchange, type HttpLike } from './exchanges.ts';

/**
 * A check that must hold for every exchange of the observation: with `repeat: 10`, status(200)
 * means ten 200s. The message names the first exchange that broke it.
 */
function everyExchange(name: string, expected: string, judge: (e: Exchange) => boolean, got: (e: Exchange) => string): Check<HttpLike> {
  return kindCheck(name, ['http', 'ingress', 'browser'], (o: HttpLike): CheckResult => {
    const all = exchangesOf(o);
    if (all.length === 0) return result(false, `expected ${expected}, got no response at all`);
    const bad = all.findIndex((e) => !judge(e));
    if (bad === -1) {
      return result(true, `expected ${expected}, got ${got(all[0]!)}${all.length === 1 ? '' : ` in all ${all.length} responses`}`);
    }
    const where = all.length === 1 ? '' : ` (response ${bad + 1} of ${all.length})`;
    return result(false, `expected ${expected}, got ${got(all[bad]!)}${where}; ${describeExchange(all[bad]!)}`);
  });
}

export function status(code: number | readonly number[]): Check<HttpLike> {
  const codes = asList(code);
  return everyExchange(
    `status(${codes.join(', ')})`,
    `status ${oneOf(codes)}`,
    (e) => codes.includes(e.status),
    (e) => `status ${e.status}`,
  );
}

/** 2xx and no transport error: what "the request works" means in a fixed phase. */
export function ok(): Check<HttpLike> {
  return everyExchange(
    'ok()',
    'a 2xx response without transport error',
    (e) => e.status >= 200 && e.status < 300 && (e.curl?.curlExit ?? 0) === 0 && !e.ingressError,
    (e) => `status ${e.status}`,
  );
}

export function bodyStartsWith(prefix: string): Check<HttpLike> {
  return everyExchange(
    `bodyStartsWith(${JSON.stringify(prefix)})`,
    `body starting with ${JSON.stringify(prefix)}`,
    (e) => e.body.trimStart().startsWith(prefix),
    (e) => `body ${quote(e.body)}`,
  );
}

export function bodyIncludes(text: string): Check<HttpLike> {
  return everyExchange(
    `bodyIncludes(${JSON.stringify(text)})`,
    `body including ${JSON.stringify(text)}`,
    (e) => e.body.includes(text),
    (e) => `body ${quote(e.body)}`,
  );
}

export function bodyMatches(re: RegExp): Check<HttpLike> {
  return everyExchange(
    `bodyMatches(${re})`,
    `body matching ${re}`,
    (e) => re.test(e.body),
    (e) => `body ${quote(e.body)}`,
  );
}

export function header(name: string, value: string | RegExp): Check<HttpLike> {
  const test = (v: string | undefined) => v !== undefined && (typeof value === 'string' ? v === value : value.test(v));
  return everyExchange(
    `header(${JSON.stringify(name)}, ${showPattern(value)})`,
    `header ${name}: ${showPattern(value)}`,
    (e) => test(headerValue(e.headers, name)),
    (e) => {
      const v = headerValue(e.headers, name);
      return v === undefined ? `no ${name} header` : `${name}: ${JSON.stringify(v)}`;
    },
  );
}

export function curlExit(code: number | readonly number[]): Check<HttpObservation> {
  const codes = asList(code);
  const name = `curlExit(${codes.join(', ')})`;
  const inner = everyExchange(
    name,
    `curl exit ${oneOf(codes)}`,
    (e) => e.curl !== undefined && codes.includes(e.curl.curlExit),
    (e) => (e.curl ? `curl exit ${e.curl.curlExit} (${e.curl.curlExitMeaning})` : 'no curl exit (not an http probe)'),
  );
  return kindCheck(name, ['http'], (o: HttpObservation) => inner.evaluate(o));
}

export function ingressError(kind: IngressErrorKind | readonly IngressErrorKind[]): Check<IngressObservation> {
  const kinds = asList(kind);
  const name = `ingressError(${kinds.join(', ')})`;
  return kindCheck(name, ['ingress'], (o: IngressObservation) => {
    const got = o.error ? `error ${o.error.kind} (${o.error.code}: ${o.error.message})` : `no error (status ${o.status ?? 'none'})`;
    return result(o.error !== undefined && kinds.includes(o.error.kind), `expected ingress error ${oneOf(kinds)}, got ${got}`);
  });
}

export function pageText(re: RegExp): Check<BrowserObservation> {
  const name = `pageText(${re})`;
  return kindCheck(name, ['browser'], (o: BrowserObservation) => {
    return result(
      re.test(o.text),
      `expected page text matching ${re}, got ${quote(o.text, 300)} (status ${o.status}, title ${quote(o.title)})`,
    );
  });
}
