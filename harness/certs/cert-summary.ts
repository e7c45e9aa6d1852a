import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import type { CertSummary } from '../model/observation.ts';

/** One-line summary of a certificate, as a reader compares it with `openssl x509 -noout -subject`. */
export function certSummary(cert: X509Certificate): CertSummary {
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    sans: sansOf(cert.subjectAltName),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  };
}

/** The chain the server sent, leaf first (getPeerCertificate(true) links it through issuerCertificate). */
export function servedChain(peer: DetailedPeerCertificate | undefined): CertSummary[] {
  const chain: CertSummary[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c?.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push(certSummary(new X509Certificate(c.raw)));
    c = c.issuerCertificate;
  }
  return chain;
}

/** node:crypto prints DNs newline-separated in certificate order. */
function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/** "DNS:a.example.com, IP Address:127.0.0.1" -> ["a.example.com", "127.0.0.1"]. */
function sansOf(san: string | undefined): string[] {
  if (!san) return [];
  return san
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
}
