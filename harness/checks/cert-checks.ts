import type { Check } from '../model/check.ts';
import type { CertSummary, HttpObservation, IngressObservation, TlsObservation } from '../model/observation.ts';
import { kindCheck, result } from './describe.ts';

type WithCertificate = HttpObservation | IngressObservation | TlsObservation;

/** The leaf certificate(s) the server presented: one per curl response, or the chain's first. */
function servedLeaves(o: WithCertificate): (CertSummary | undefined)[] {
  switch (o.kind) {
    case 'http':
      return o.responses.map((r) => r.certificate);
    case 'ingress':
      return [o.certificate];
    case 'tls':
      return [o.chain[0]];
  }
}

function certField(field: 'subject' | 'issuer', re: RegExp): Check<WithCertificate> {
  const name = `cert${field === 'subject' ? 'Subject' : 'Issuer'}(${re})`;
  return kindCheck(name, ['http', 'ingress', 'tls'], (o: WithCertificate) => {
    const leaves = servedLeaves(o);
    if (leaves.length === 0) return result(false, `expected a served certificate with ${field} matching ${re}, got no response`);
    const bad = leaves.findIndex((c) => c === undefined || !re.test(c[field]));
    const shown = (c: CertSummary | undefined) =>
      c
        ? `${field} ${JSON.stringify(c[field])} (SANs: ${c.sans.join(', ') || 'none'})`
        : 'no certificate (plain text, or no TLS handshake)';
    if (bad === -1) return result(true, `expected certificate ${field} matching ${re}, got ${shown(leaves[0])}`);
    return result(
      false,
      `expected certificate ${field} matching ${re}, got ${shown(leaves[bad])}${leaves.length > 1 ? ` (response ${bad + 1} of ${leaves.length})` : ''}`,
    );
  });
}

export const certSubject = (re: RegExp): Check<WithCertificate> => certField('subject', re);

/**
 * The ingress probe's served leaf is the run's certificate `name` (same SHA-256 fingerprint; the
 * probe lists it in `identify`). Subject and issuer cannot tell a rotated certificate from the
 * one it replaced; the fingerprint can.
 */
export function certIs(name: string): Check<IngressObservation> {
  return kindCheck(`certIs(${name})`, ['ingress'], (o: IngressObservation) => {
    const c = o.certificate;
    if (!c)
      return result(
        false,
        `expected the run's certificate ${name}, got no certificate${o.error ? ` (${o.error.kind}: ${o.error.message})` : ''}`,
      );
    const got =
      c.knownAs !== undefined
        ? `the run's ${c.knownAs}`
        : `a certificate the probe does not identify (fingerprint ${c.fingerprint256 ?? 'unknown'}, subject ${c.subject})`;
    return result(c.knownAs === name, `expected the run's certificate ${name}, got ${got}`);
  });
}
export const certIssuer = (re: RegExp): Check<WithCertificate> => certField('issuer', re);
