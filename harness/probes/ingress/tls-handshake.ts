import tls from 'node:tls';
import type { CertSummary } from '../../model/observation.ts';
import { servedChain } from '../../certs/cert-summary.ts';

export type HandshakeOptions = {
  /** Where to connect (an IP or name) and which port. */
  host: string;
  port: number;
  /** SNI; omitted for IP addresses, as curl does. */
  servername?: string;
  /**
   * The user passed -k: a server whose certificate does not verify is still talked to. Without
   * it, nothing at all is sent to such a server (the chain is all this handshake is for then).
   */
  insecure?: boolean;
  ca?: string;
  cert?: string;
  key?: string;
  timeoutMs: number;
};

export type HandshakeResult = {
  /** The client finished its side of the handshake (secureConnect fired). */
  established: boolean;
  tlsVersion?: string;
  chain: CertSummary[];
  /** Verification of the served chain against `ca` (string code, e.g. SELF_SIGNED_CERT_IN_CHAIN). */
  authorizationError?: string;
  /** The first error the socket raised, e.g. ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED. */
  error?: { code: string; message: string; reason?: string };
  /** Bytes of a response arrived after the handshake. */
  responded: boolean;
  /** The peer closed the connection without sending a response. */
  closedWithoutResponse: boolean;
  timedOut: boolean;
};

/**
 * An `openssl s_client`-like handshake that tolerates any server certificate. undici reports a
 * TLS 1.3 client-certificate rejection only as "other side closed": the server's alert comes after
 * the client already considers the handshake done, and only the raw socket sees it as
 * ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED. It also yields the served chain
 * when verification made undici give up before we could read it.
 */
export function tlsHandshake(o: HandshakeOptions): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const result: HandshakeResult = { established: false, chain: [], responded: false, closedWithoutResponse: false, timedOut: false };
    const socket = tls.connect({
      host: o.host,
      port: o.port,
      servername: o.servername,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      done();
    }, o.timeoutMs);
    socket.once('secureConnect', () => {
      result.established = true;
      result.tlsVersion = socket.getProtocol() ?? undefined;
      result.chain = servedChain(socket.getPeerCertificate(true));
      // Typed as Error in @types/node, a string code at runtime ('SELF_SIGNED_CERT_IN_CHAIN').
      const authErr = socket.authorizationError as unknown;
      if (authErr) result.authorizationError = typeof authErr === 'string' ? authErr : String((authErr as Error).message);
      if (result.authorizationError && !o.insecure) {
        done();
        return;
      }
      // A fixed request, never the user's path, query or headers: this connection only asks
      // whether the server answers at all or closes (a client certificate rejected after the
      // TLS 1.3 handshake), and the name comes from the URL parser, so it holds no CR/LF.
      socket.write(`HEAD / HTTP/1.1\r\nHost: ${o.servername ?? o.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', () => {
      result.responded = true;
      done();
    });
    socket.once('error', (e: NodeJS.ErrnoException & { reason?: string }) => {
      result.error = { code: e.code ?? e.name, message: e.message, reason: e.reason };
      done();
    });
    socket.once('close', () => {
      if (result.established && !result.responded && !result.error) result.closedWithoutResponse = true;
      done();
    });
  });
}
