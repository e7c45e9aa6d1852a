/**
 * Evidence never carries secrets: PEM private keys (as text, JSON-escaped, or base64 as in a
 * Kubernetes Secret's `tls.key`), bearer tokens, and kubeconfig credentials are replaced before
 * anything is written. A TLS 1.2 master secret printed by s_client goes too.
 */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** base64 of "-----BEGIN" starts with this, whatever follows. */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]+/g;
const BEARER = /\b(authorization\s*[:=]\s*"?\s*(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+/gi;
/** openssl s_client prints a TLS 1.2 session's master secret. */
const MASTER_KEY = /(Master-Key:\s*)[0-9A-F]{16,}/g;
const CREDENTIAL_FIELDS = /("?(?:client-key-data|token|password|private_key|privateKey)"?\s*[:=]\s*)"(?!\[REDACTED)[^"]+"/g;

export const REDACTED = '[REDACTED]';

export function redactSecrets(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, (_m, kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`)
    .replace(BASE64_PEM, (m) => (/PRIVATE KEY/.test(Buffer.from(m, 'base64').toString('latin1')) ? REDACTED : m))
    .replace(BEARER, `$1${REDACTED}`)
    .replace(MASTER_KEY, `$1${REDACTED}`)
    .replace(CREDENTIAL_FIELDS, `$1"${REDACTED}"`);
}

/** True when the text still holds something redactSecrets would remove (a guard before writing). */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
