import { isIP } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import { Agent, buildConnector, request } from 'undici';
import type { IngressObservation } from '../../model/observation.ts';
import { UsageError } from '../../model/errors.ts';
import { servedChain } from '../../certs/cert-summary.ts';
import { classifyError, classifyResponse } from './classify-error.ts';
import { tlsHandshake, type HandshakeResult } from './tls-handshake.ts';

export type IngressRequest = {
  /** The URL as the user types it; its host is used for SNI and (by default) the Host header. */
  url: string;
  /** curl --resolve: open the TCP connection here instead of resolving the URL host. */
  connectTo?: { host: string; port: number };
  method?: string;
  /** Extra headers; `host` replaces the Host header (curl -H 'Host: …'). */
  headers?: Record<string, string>;
  /** Trusted CA PEM (curl --cacert). Without it Node's default trust store applies. */
  ca?: string;
  /** Client certificate and key PEM (curl --cert/--key). */
  cert?: string;
  key?: string;
  /** curl -k: accept any server certificate (still reported). */
  insecure?: boolean;
  /** Bounds connect + TLS handshake, waiting for headers, and waiting for body data. Default 10 s. */
  timeoutMs?: number;
  /** Longer bodies are cut and marked bodyTruncated. Default 64 KiB. */
  maxBodyBytes?: number;
};

export type IngressResult = IngressObservation & { bodyTruncated?: boolean; handshake?: HandshakeResult };

/**
 * One HTTP(S) request from the host with curl's `--resolve` semantics: the URL host is the SNI name
 * and the Host header, the connection goes to `connectTo`. Uses undici `request`, not fetch:
 * fetch drops a custom Host header (nodejs/undici#2322). Never throws for network failures: they
 * come back classified in `error`; a malformed URL is a UsageError.
 */
export async function ingressRequest(req: IngressRequest): Promise<IngressResult> {
  const url = URL.parse(req.url);
  // WHATWG URLs accept "${" in a host name, so an unresolved placeholder would reach DNS.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || req.url.includes('${')) {
    throw new UsageError(
      `ingress probe URL "${req.url}" is not an http(s) URL`,
      'write it as the docs do, e.g. https://httpbin.example.com/status/418 (placeholders must be resolved first)',
    );
  }
  const tls = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (tls ? 443 : 80));
  const target = req.connectTo ?? { host: hostname, port };
  const timeoutMs = req.timeoutMs ?? 10_000;
  // curl never sends an IP address as SNI (RFC 6066 §3 forbids it).
  const servername = isIP(hostname) ? undefined : hostname;
  const headers = { ...req.headers };
  // A CR or LF would end the header line and start another one the user never meant (header injection).
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new UsageError(
        `header ${JSON.stringify(name)} has a line break in its name or value`,
        'give each header on its own -H, without CR or LF',
      );
    }
  }
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'host')) headers['host'] = url.host;

  const observation: IngressResult = { kind: 'ingress', url: req.url, connectedTo: `${target.host}:${target.port}` };
  let peer: DetailedPeerCertificate | undefined;
  const base = buildConnector({
    ca: req.ca,
    cert: req.cert,
    key: req.key,
    rejectUnauthorized: !req.insecure,
    // Sessions are cached per SNI name: a resumed session would hide the served certificate and
    // could reuse another case's client certificate.
    maxCachedSessions: 0,
    timeout: timeoutMs,
    allowH2: false,
  });
  const agent = new Agent({
    connect: (opts, cb) =>
      base({ ...opts, hostname: target.host, port: String(target.port), servername: servername ?? '' }, (err, socket) => {
        if (!err && socket && tls) {
          const s = socket as TLSSocket;
          peer = s.getPeerCertificate(true);
          observation.tlsVersion = s.getProtocol() ?? undefined;
        }
        cb(err as Error, socket as never);
      }),
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  try {
    const res = await request(url, { method: (req.method ?? 'GET') as 'GET', headers, dispatcher: agent });
    observation.status = res.statusCode;
    observation.headers = flattenHeaders(res.headers);
    const { text, truncated } = await readBounded(res.body, req.maxBodyBytes ?? 65_536);
    observation.body = text;
    if (truncated) observation.bodyTruncated = true;
    const refused = classifyResponse(res.statusCode, text);
    if (refused) observation.error = refused;
  } catch (err) {
    let handshake: HandshakeResult | undefined;
    if (tls && shouldAskRawTls(err)) {
      handshake = await tlsHandshake({
        host: target.host,
        port: target.port,
        servername,
        insecure: req.insecure === true,
        ca: req.ca,
        cert: req.cert,
        key: req.key,
        timeoutMs: Math.min(timeoutMs, 5_000),
      });
      observation.handshake = handshake;
      if (!peer && handshake.chain.length > 0) {
        observation.chain = handshake.chain;
        observation.tlsVersion = handshake.tlsVersion;
      }
    }
    observation.error = classifyError(err, { tls, handshake });
  } finally {
    await agent.destroy().catch(() => undefined);
  }
  if (peer) observation.chain = servedChain(peer);
  if (observation.chain?.[0]) observation.certificate = observation.chain[0];
  return observation;
}

/** Refused and timed-out connections tell nothing more on a second attempt. */
function shouldAskRawTls(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code !== 'ECONNREFUSED' && code !== 'UND_ERR_CONNECT_TIMEOUT' && code !== 'UND_ERR_HEADERS_TIMEOUT';
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBounded(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  max: number,
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return { text: Buffer.concat(chunks).subarray(0, max).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
