/**
 * The check vocabulary scenarios write: `check.status(503)`, `check.responseFlags('UC')`,
 * `check.all(check.connected(), check.closedWithoutGreeting())`. Each check returns
 * "expected …, got …" with the output that decided it.
 */
import { all, any, not } from './combinators.ts';
import { certIssuer, certSubject } from './cert-checks.ts';
import { accessLog, listener, noListener, responseFlags, statAbove, statEquals } from './envoy-checks.ts';
import { cluster, curlError } from './fidelity-checks.ts';
import { bodyIncludes, bodyMatches, bodyStartsWith, curlExit, header, ingressError, ok, pageText, status } from './http-checks.ts';
import { atLeastOne, seenAll } from './repeat-checks.ts';
import { closedWithoutGreeting, connected, greeting, refused, timedOut } from './tcp-checks.ts';
import { handshakeOk, tlsAlert, tlsVersion, verified } from './tls-checks.ts';

export const check = {
  status, ok, bodyStartsWith, bodyIncludes, bodyMatches, header, certSubject, certIssuer, curlExit, ingressError, pageText,
  atLeastOne, seenAll,
  connected, refused, timedOut, greeting, closedWithoutGreeting,
  handshakeOk, tlsAlert, tlsVersion, verified,
  statAbove, statEquals, listener, noListener, responseFlags, accessLog,
  curlError, cluster,
  all, any, not,
} as const;

export type { ListenerPattern } from './envoy-checks.ts';
