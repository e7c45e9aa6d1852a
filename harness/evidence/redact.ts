/**
 * Reports and evidence never carry secrets: PEM private keys (as text, JSON-escaped, base64 as in
 * a Kubernetes Secret's `tls.key`, wrapped or cut short by a size limit), bearer/basic tokens,
 * JWTs, cookies, API keys, credentials in URLs, and kubeconfig/YAML/JSON credential fields are
 * replaced before anything is written. A TLS 1.2 master secret printed by s_client goes too.
 * Over-redacting a harmless value is the accepted cost: a leaked key cannot be taken back.
 */
/** A private key, up to its END line, or to wherever the text was cut (16/32 KiB limits). */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g;
/**
 * base64 of "-----BEGIN" starts with this, whatever follows; it runs on across the (escaped) line
 * breaks of a wrapped value, over lines made only of base64 characters.
 */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]*(?:(?:\r?\n|\\[rn])[A-Za-z0-9+/=]+(?=\r?\n|\\[rn]|"|$))*/g;
/** `Authorization: Bearer …` as a header line, after a JSON-escaped `\n`, or as a JSON member. */
const AUTHORIZATION = /((?:proxy-)?authorization"?\s*[:=]\s*"?\s*(?:bearer|basic|token|digest)\s+)[A-Za-z0-9._~+/=-]+/gi;
const COOKIE = /((?:set-)?cookie"?\s*[:=]\s*"?)[^"\r\n\\]+/gi;
const API_KEY = /((?:x-)?api[-_]?key"?\s*[:=]\s*"?)[^"\s,\\]+/gi;
/** `scheme://user:password@host`: the userinfo goes. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+/g;
/** openssl s_client prints a TLS 1.2 session's master secret. */
const MASTER_KEY = /(Master-Key:\s*)[0-9A-F]{16,}/g;
const CREDENTIAL_NAMES =
  'client-key-data|token|access_token|refresh_token|id_token|password|passwd|private_key|privateKey|client_secret|clientSecret|aws_secret_access_key|secret_key';
/** A credential field, quoted (JSON) or bare (YAML, env files); values already redacted are left as they are. */
const CREDENTIAL_FIELDS = new RegExp(
  `((?<![A-Za-z0-9_-])"?(?:${CREDENTIAL_NAMES})"?\\s*[:=]\\s*)(?:"(?!\\[REDACTED)[^"]+"|(?![\\["{])[^\\s,}"\\\\]+)`,
  'g',
);

export const REDACTED = '[REDACTED]';
/** Object keys whose string value is a secret as a whole (headers and credential fields). */
const SECRET_KEY = new RegExp(`^(?:(?:proxy-)?authorization|(?:set-)?cookie|(?:x-)?api[-_]?key|${CREDENTIAL_NAMES})$`, 'i');

export function redactSecrets(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, (_m, kind: string) => `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}-----END ${kind}PRIVATE KEY-----`)
    .replace(BASE64_PEM, (m) => {
      const decoded = Buffer.from(m.replace(/\\[rn]|\s/g, ''), 'base64').toString('latin1');
      return /PRIVATE KEY/.test(decoded) ? REDACTED : m;
    })
    .replace(AUTHORIZATION, `$1${REDACTED}`)
    .replace(COOKIE, `$1${REDACTED}`)
    .replace(API_KEY, `$1${REDACTED}`)
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(JWT, REDACTED)
    .replace(MASTER_KEY, `$1${REDACTED}`)
    .replace(CREDENTIAL_FIELDS, (_m, name: string) => `${name}${_m.slice(name.length).startsWith('"') ? `"${REDACTED}"` : REDACTED}`);
}

/** True when the text still holds something redactSecrets would remove (a guard before writing). */
export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}

/**
 * A copy of any JSON-like value with every string redacted: the single point every report
 * (results.json, junit.xml, matrix.md, report.html, comparison) goes through before rendering.
 */
export function redactDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    // A header map or credential object: the key names the secret, the value alone may not show it.
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, typeof x === 'string' && SECRET_KEY.test(k) ? REDACTED : walk(x)]),
    );
  };
  return walk(value) as T;
}
