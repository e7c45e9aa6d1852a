/**
 * The check vocabulary scenarios write: `check.status(503)`, `check.responseFlags('UC')`,
 * `check.all(check.connected(), check.closedWithoutGreeting())`. Each check returns
 * "expected …, got …" with the output that decided it.
 */
import { all, any, not } from './combinators.ts';
import { certIs, certIssuer, certSubject } from './cert-checks.ts';
import { accessLog, listener, listenerTo, noListener, responseFlags, statAbove, statEquals } from './envoy-checks.ts';
import { cluster, curlError } from './fidelity-checks.ts';
import { bodyIncludes, bodyMatches, bodyStartsWith, curlExit, header, ingressError, ok, pageText, status } from './http-checks.ts';
import { atLeastOne, seenAll } from './repeat-checks.ts';
import {
  accepted,
  analyzer,
  capturedBySidecar,
  iptablesRule,
  lands,
  noAnalyzer,
  noIptablesRule,
  passes,
  servesCertificate,
  servesNoCertificate,
  stopsWith,
  validatesClientsWith,
} from './config-checks.ts';
import { absent, notRestartedSince } from './kube-checks.ts';
import { closedWithoutGreeting, connected, greeting, refused, silent, timedOut } from './tcp-checks.ts';
import { handshakeOk, tlsAlert, tlsVersion, verified } from './tls-checks.ts';
import type { Check } from '../model/check.ts';
import { didYouMean } from '../model/did-you-mean.ts';
import { makeCheck, result } from './describe.ts';

/** Property names the language and tools probe on any object (await, JSON, inspection). */
const NOT_CHECK_NAMES = new Set(['then', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch', '$$typeof']);

/** A check that fails whatever it sees, naming the unknown name and the nearest known one. */
export function unknownCheck(name: string, known: readonly string[]): Check<unknown> {
  const suggestion = didYouMean(name, known);
  const message = `check.${name} is not a check${suggestion ? ` (did you mean check.${suggestion}?)` : ''}; the checks are listed in docs/authoring-scenarios.md §5`;
  return { ...makeCheck(`${name}(…)`, () => result(false, message)), unknownName: suggestion ? { name, suggestion } : { name } };
}

/** Wraps the vocabulary so an unknown name returns a builder of `unknownCheck` instead of undefined. */
export function guardNames<V extends object>(vocabulary: V): V {
  const known = Object.keys(vocabulary);
  return new Proxy(vocabulary, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target || NOT_CHECK_NAMES.has(prop)) return Reflect.get(target, prop, receiver);
      return () => unknownCheck(prop, known);
    },
  });
}

const vocabulary = {
  status,
  ok,
  bodyStartsWith,
  bodyIncludes,
  bodyMatches,
  header,
  certSubject,
  certIssuer,
  curlExit,
  ingressError,
  pageText,
  atLeastOne,
  seenAll,
  connected,
  refused,
  timedOut,
  silent,
  greeting,
  closedWithoutGreeting,
  handshakeOk,
  tlsAlert,
  tlsVersion,
  verified,
  statAbove,
  statEquals,
  listener,
  listenerTo,
  noListener,
  responseFlags,
  accessLog,
  curlError,
  cluster,
  certIs,
  absent,
  notRestartedSince,
  all,
  any,
  not,
  // config level (Istio's own code, no cluster): harness/checks/config-checks.ts
  lands,
  stopsWith,
  passes,
  capturedBySidecar,
  servesCertificate,
  servesNoCertificate,
  validatesClientsWith,
  analyzer,
  noAnalyzer,
  accepted,
  iptablesRule,
  noIptablesRule,
} as const;

/**
 * The vocabulary, with a misspelt name (`check.responseFlag('UH')`) turned into a check that
 * fails and says what was meant, rather than a TypeError that stops the whole registry from
 * loading: `casebook validate` runs without the type checker and reports every problem at once.
 */
export const check = guardNames(vocabulary);

export type { ListenerPattern } from './envoy-checks.ts';
