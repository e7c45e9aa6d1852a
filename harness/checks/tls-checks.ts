import type { Check } from '../model/check.ts';
import type { TlsObservation } from '../model/observation.ts';
import { kindCheck, result } from './describe.ts';

export function describeTls(o: TlsObservation): string {
  const parts = [`handshake ${o.handshake}`];
  if (o.tlsVersion) parts.push(o.tlsVersion);
  if (o.alert) parts.push(`alert ${JSON.stringify(o.alert)}`);
  if (o.verifyResult) parts.push(`verify ${o.verifyResult.code} (${o.verifyResult.text})`);
  if (o.chain[0]) parts.push(`served ${JSON.stringify(o.chain[0].subject)}`);
  return parts.join(', ');
}

function tlsCheck(name: string, expected: string, judge: (o: TlsObservation) => boolean): Check<TlsObservation> {
  return kindCheck(name, ['tls'], (o: TlsObservation) => result(judge(o), `expected ${expected}, got ${describeTls(o)}`));
}

/**
 * The handshake completed and no alert arrived. With TLS 1.3 a server that requires a client
 * certificate sends its alert after the client considers the handshake done, so an alert counts
 * as a failed handshake here.
 */
export const handshakeOk = (): Check<TlsObservation> =>
  tlsCheck('handshakeOk()', 'a completed TLS handshake without alert', (o) => o.handshake === 'ok' && !o.alert);

export const tlsAlert = (re: RegExp): Check<TlsObservation> =>
  tlsCheck(`tlsAlert(${re})`, `a TLS alert matching ${re}`, (o) => o.alert !== undefined && re.test(o.alert));

export const tlsVersion = (version: string): Check<TlsObservation> =>
  tlsCheck(`tlsVersion(${JSON.stringify(version)})`, `TLS version ${version}`, (o) => o.tlsVersion === version);

/** The served chain verified against the CA the probe was given (openssl verify code 0). */
export const verified = (): Check<TlsObservation> =>
  tlsCheck('verified()', 'a chain verified against the given CA (verify code 0)', (o) => o.verifyResult?.code === 0);
