import { X509Certificate } from 'node:crypto';
import type { CertSummary, TlsObservation } from '../model/observation.ts';
import { certSummary } from '../certs/cert-summary.ts';

export type TlsObservationDetail = TlsObservation & {
  /** Why there was no handshake, in words: refused, timed out, plain text, closed by the peer. */
  error?: string;
};

/** Reads what `openssl s_client -showcerts` printed (stdout, stderr, exit code) into an observation. */
export function sClientObservation(stdout: string, stderr: string, exitCode: number): TlsObservationDetail {
  const session = /^New, (\(NONE\)|[A-Za-z0-9.]+), Cipher is (\S+)/m.exec(stdout);
  const handshakeDone = session !== null && session[1] !== '(NONE)' && session[2] !== '(NONE)';
  const chain = servedChain(stdout);
  const verify = [...stdout.matchAll(/Verify return code: (\d+) \(([^)]*)\)/g)].at(-1);
  const alert = /:((?:tlsv1\d?|sslv3) alert [^:]+):/.exec(stderr)?.[1];
  const error = handshakeDone ? undefined : failureReason(stdout, stderr, exitCode);
  return {
    kind: 'tls',
    handshake: handshakeDone ? 'ok' : 'failed',
    ...(handshakeDone ? { tlsVersion: session![1]!, cipher: session![2]! } : {}),
    alert,
    // s_client prints "Verify return code: 0 (ok)" even when no certificate arrived: only a chain is verified.
    ...(verify && chain.length > 0 ? { verifyResult: { code: Number(verify[1]), text: verify[2]! } } : {}),
    chain,
    error,
    raw: { exitCode, stderr: stderr.trim() },
  };
}

function servedChain(stdout: string): CertSummary[] {
  const pems = stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const chain: CertSummary[] = [];
  for (const pem of pems) {
    try {
      chain.push(certSummary(new X509Certificate(pem)));
    } catch {
      // a truncated PEM (killed mid-output) is not a certificate
    }
  }
  return chain;
}

function failureReason(stdout: string, stderr: string, exitCode: number): string {
  if (/Connection refused|errno=111/.test(stderr)) return 'connection refused';
  if (/No route to host|errno=113|Network is unreachable/.test(stderr)) return 'host unreachable';
  if (exitCode === 124 && !/^CONNECTED/m.test(stdout)) return 'connect timed out';
  if (/wrong version number/.test(stderr)) return 'the server did not answer with TLS (plain text?)';
  if (/errno=104|Connection reset/.test(stderr)) return 'connection reset by the peer before a handshake';
  if (/unexpected eof|read 0 bytes/i.test(`${stderr}\n${stdout}`)) return 'the peer closed the connection before a handshake';
  const alert = /:((?:tlsv1\d?|sslv3) alert [^:]+):/.exec(stderr)?.[1];
  if (alert) return alert;
  return stderr.trim().split('\n').at(-1) ?? `s_client exit ${exitCode}`;
}
