import { X509Certificate } from 'node:crypto';
import type { CertSummary, CurlResponse } from '../model/observation.ts';
import { certSummary } from '../certs/cert-summary.ts';
import { MAX_BODY_BYTES, type RawCurlRun } from './curl-command.ts';
import { curlExitMeaning } from './curl-exit-codes.ts';

type CurlJson = {
  exitcode?: number;
  errormsg?: string | null;
  http_code?: number;
  response_code?: number;
  remote_ip?: string;
  remote_port?: number;
  certs?: string;
  ssl_verify_result?: number;
  [k: string]: unknown;
};

const TIMINGS = ['time_namelookup', 'time_connect', 'time_appconnect', 'time_pretransfer', 'time_starttransfer', 'time_total'] as const;

/** One request's files, as printed by curlScript, into the observation checks read. */
export function curlResponse(run: RawCurlRun): CurlResponse {
  const json = parseJson(run.json);
  const errorLine = run.stderr.split('\n').find((l) => /^curl: \(\d+\)/.test(l));
  // `%{json}` has the exit code; when curl printed no json (killed, too old), the error line has it.
  const curlExit = json?.exitcode ?? Number(/^curl: \((\d+)\)/.exec(errorLine ?? '')?.[1] ?? -1);
  const certificate = json?.certs ? servedCertificate(json.certs) : undefined;
  const timings: Record<string, number> = {};
  for (const t of TIMINGS)
    if (typeof json?.[t] === 'number') timings[`${t.replace(/^time_/, '')}Ms`] = Math.round((json[t] as number) * 1e6) / 1e3;
  return {
    status: json?.response_code ?? json?.http_code ?? 0,
    headers: lastHeaderBlock(run.headers),
    body: run.body,
    ...(run.bodyBytes > MAX_BODY_BYTES ? { bodyTruncated: true } : {}),
    curlExit,
    curlExitMeaning:
      json === undefined && curlExit === -1
        ? `no curl result (${run.json.trim().slice(0, 80) || 'curl printed nothing'})`
        : curlExitMeaning(curlExit),
    ...(errorLine ? { curlError: errorLine } : json?.errormsg ? { curlError: `curl: (${curlExit}) ${json.errormsg}` } : {}),
    ...(json?.remote_ip ? { remoteIp: json.remote_ip } : {}),
    ...(json?.remote_port ? { remotePort: json.remote_port } : {}),
    ...(Object.keys(timings).length ? { timings } : {}),
    certificate,
  };
}

function parseJson(text: string): CurlJson | undefined {
  const t = text.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    return JSON.parse(t) as CurlJson;
  } catch {
    return undefined;
  }
}

/**
 * curl's `certs` lists each served certificate as "Key:value" lines followed by its PEM; the
 * first is the leaf. Without a PEM (other TLS backends), fall back to the Subject/Issuer lines.
 */
export function servedCertificate(certs: string): CertSummary | undefined {
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(certs)?.[0];
  if (pem) {
    try {
      return certSummary(new X509Certificate(pem));
    } catch {
      // fall through to the text lines
    }
  }
  const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(certs)?.[1]?.trim();
  const subject = field('Subject');
  if (!subject) return undefined;
  const sans = (field('X509v3 Subject Alternative Name') ?? '')
    .split(/,\s*/)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return {
    subject: subject.replace(/ = /g, '='),
    issuer: (field('Issuer') ?? '').replace(/ = /g, '='),
    sans,
    validFrom: field('Start date') ?? '',
    validTo: field('Expire date') ?? '',
  };
}

/** Headers of the final response (a `100 Continue` or proxy CONNECT block may come first). */
export function lastHeaderBlock(raw: string): Record<string, string> {
  const blocks = raw.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));
  const last = blocks.at(-1) ?? '';
  const headers: Record<string, string> = {};
  for (const line of last.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}
