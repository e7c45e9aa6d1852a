import type { IngressErrorKind } from '../../model/observation.ts';
import type { HandshakeResult } from './tls-handshake.ts';

export type ClassifiedError = { kind: IngressErrorKind; code: string; message: string };

/**
 * Error codes as Node 24 / undici 8 raise them (observed by harness/probes/ingress/*.test.ts against
 * real node:tls servers). OpenSSL verification results arrive as bare codes, TLS alerts as
 * ERR_SSL_* codes; other Node versions may wrap alerts as EPROTO, matched by reason below.
 */
const BY_CODE: Record<string, IngressErrorKind> = {
  ECONNREFUSED: 'refused',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  TimeoutError: 'timeout',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
  CERT_SIGNATURE_FAILURE: 'bad-signature',
  CERT_HAS_EXPIRED: 'expired',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'certificate-required',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls-on-plaintext',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'tls-on-plaintext',
};

const WHAT: Record<IngressErrorKind, string> = {
  refused: 'connection refused (nothing listens on that address and port)',
  timeout: 'timed out',
  'reset-before-tls': 'the server closed the connection before the TLS handshake completed (no matching server or route for this SNI?)',
  'name-mismatch': 'the served certificate does not name the requested host',
  'unknown-ca': 'the served certificate is not signed by a trusted CA',
  'bad-signature': 'the served certificate names the trusted CA as issuer but its signature does not verify (CA rotated?)',
  'certificate-required': 'the server requires a client certificate (mutual TLS)',
  'handshake-alert': 'the server aborted the TLS handshake with an alert',
  'tls-on-plaintext': 'TLS was spoken to a port that answers in plaintext',
  expired: 'the served certificate has expired',
  other: 'the request failed',
};

/** A short sentence for each kind, for the CLI and check messages. */
export function describeErrorKind(kind: IngressErrorKind): string {
  return WHAT[kind];
}

type ErrorLike = { code?: unknown; name?: unknown; message?: unknown; reason?: unknown; cause?: unknown; errors?: unknown };

/** The code that says what happened: the error's own, its cause's, or the first of an AggregateError. */
export function errorCode(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  if (typeof e.code === 'string') return e.code;
  const cause = e.cause as ErrorLike | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (Array.isArray(e.errors) && typeof (e.errors[0] as ErrorLike | undefined)?.code === 'string') {
    return (e.errors[0] as ErrorLike).code as string;
  }
  return typeof e.name === 'string' ? e.name : 'UNKNOWN';
}

function kindOfCode(code: string, reason: string): IngressErrorKind | undefined {
  const known = BY_CODE[code];
  if (known) return known;
  if (/certificate required/i.test(reason)) return 'certificate-required';
  if (/wrong version number|packet length too long/i.test(reason)) return 'tls-on-plaintext';
  if (/^ERR_SSL_.*ALERT/.test(code) || /alert/i.test(reason)) return 'handshake-alert';
  return undefined;
}

/**
 * Classifies a failed request. `handshake` is a raw node:tls attempt made after undici failed on a
 * TLS URL: it names the alert undici cannot see (TLS 1.3 certificate required) and tells a reset
 * before the handshake apart from a close after it.
 */
export function classifyError(err: unknown, opts: { tls: boolean; handshake?: HandshakeResult }): ClassifiedError {
  const e = (err ?? {}) as ErrorLike;
  const code = errorCode(err);
  const message = typeof e.message === 'string' && e.message ? e.message : String(err);
  const reason = typeof e.reason === 'string' ? e.reason : message;
  const direct = kindOfCode(code, reason);
  const out = (kind: IngressErrorKind, c = code, m = message): ClassifiedError => ({ kind, code: c, message: `${WHAT[kind]}: ${m}` });

  if (direct) return out(direct);
  const hs = opts.handshake;
  if (opts.tls && hs?.error) {
    const fromRaw = kindOfCode(hs.error.code, hs.error.reason ?? hs.error.message);
    if (fromRaw) return out(fromRaw, hs.error.code, `${hs.error.message} (undici: ${code} ${message})`);
  }
  if (opts.tls && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET')) {
    if (/before secure TLS connection/i.test(message) || (hs && !hs.established && !hs.timedOut)) return out('reset-before-tls');
    if (hs?.closedWithoutResponse) {
      // A Node or Go server that checks the client certificate after the handshake just closes.
      return out(
        'other',
        code,
        `${message}; the server closed the connection right after the TLS handshake without answering (client certificate rejected?)`,
      );
    }
  }
  return out('other');
}

/**
 * nginx checks client certificates after the handshake and answers 400 instead of sending a TLS
 * alert (src/http/ngx_http_request.c: NGX_HTTPS_NO_CERT, NGX_HTTPS_CERT_ERROR). Envoy sends the alert.
 * Both mean the same to a reader, so the nginx page is classified like the alert.
 */
export function classifyResponse(status: number, body: string): ClassifiedError | undefined {
  if (status !== 400) return undefined;
  if (/No required SSL certificate was sent/.test(body)) {
    return {
      kind: 'certificate-required',
      code: 'HTTP_400',
      message: `${WHAT['certificate-required']}: 400 No required SSL certificate was sent`,
    };
  }
  if (/The SSL certificate error/.test(body)) {
    return { kind: 'other', code: 'HTTP_400', message: 'the server rejected the client certificate: 400 The SSL certificate error' };
  }
  return undefined;
}
