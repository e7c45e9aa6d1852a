import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { UsageError } from '../../model/errors.ts';
import type { CertSummary } from '../../model/observation.ts';
import type { IngressResult } from '../../probes/ingress/ingress-request.ts';
import type { ResolveEntry } from '../../probes/ingress/parse-resolve.ts';

export type ProbeOptions = {
  resolve: string[];
  header: string[];
  cacert?: string;
  cert?: string;
  key?: string;
  insecure: boolean;
  json: boolean;
  maxTime: string;
};

export type ProbeIo = {
  out?: (line: string) => void;
  /** 0 when a response arrived, 1 on a classified failure. Default: process.exitCode. */
  setExitCode?: (code: 0 | 1) => void;
};

/**
 * `casebook probe <url>`: the ingress client as a curl-like command for workshops and debugging.
 * Prints the status, the served certificate and, on failure, the classified error. Exit code 0 on
 * a response, 1 on a classified failure; usage errors throw UsageError (exit 2 at the CLI boundary).
 */
export function registerProbeCommand(program: Command, io: ProbeIo = {}): Command {
  const out = io.out ?? ((line: string) => console.log(line));
  const setExitCode =
    io.setExitCode ??
    ((code: 0 | 1) => {
      process.exitCode = code;
    });
  return program
    .command('probe')
    .description(
      'send one request from this machine the way the Istio docs use curl (--resolve, Host, CA, client certificate) and classify the outcome',
    )
    .argument('<url>', 'URL as typed in the docs, e.g. https://httpbin.example.com:8443/status/418')
    .option('--resolve <host:port:addr>', 'connect to addr for host:port (repeatable), like curl', collect, [])
    .option('-H, --header <header>', "extra header, e.g. 'Host: httpbin.example.com' (repeatable)", collect, [])
    .option('--cacert <file>', 'CA certificate (PEM) to verify the server with')
    .option('--cert <file>', 'client certificate (PEM) for mutual TLS; needs --key')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('-k, --insecure', 'do not verify the server certificate (it is still reported)', false)
    .addOption(new Option('-m, --max-time <seconds>', 'give up after this many seconds').default('10'))
    .option('--json', 'print the observation as JSON', false)
    .action(async (url: string, opts: ProbeOptions) => {
      const result = await probe(url, opts);
      for (const line of opts.json ? [JSON.stringify(withoutHandshake(result.observation), null, 2)] : render(result)) out(line);
      setExitCode(result.observation.error ? 1 : 0);
    });
}

type ProbeResult = { observation: IngressResult; method: string; notes: string[] };

async function probe(rawUrl: string, opts: ProbeOptions): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`"${rawUrl}" is not a URL`, 'give a full URL, e.g. https://httpbin.example.com:8443/status/418');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`casebook probe speaks http and https, not ${url.protocol}`, 'use an http:// or https:// URL');
  }
  if (Boolean(opts.cert) !== Boolean(opts.key)) {
    throw new UsageError('--cert and --key go together', 'give both the client certificate and its key, or neither');
  }
  const seconds = Number(opts.maxTime);
  if (!(seconds > 0)) throw new UsageError(`--max-time "${opts.maxTime}" is not a positive number of seconds`, 'e.g. --max-time 5');
  // Below a millisecond the timer is meaningless and above an hour it is not a probe.
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
    throw new UsageError(`--max-time ${opts.maxTime} is outside ${MIN_SECONDS} .. ${MAX_SECONDS} seconds`, 'e.g. --max-time 5');
  }
  const [{ ingressRequest }, { parseResolve }] = await Promise.all([
    import('../../probes/ingress/ingress-request.ts'),
    import('../../probes/ingress/parse-resolve.ts'),
  ]);
  const headers = Object.fromEntries(opts.header.map(parseHeader));
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const entries: ResolveEntry[] = opts.resolve.map(parseResolve);
  const match = entries.find((e) => e.host === url.hostname.toLowerCase() && e.port === port);
  const notes = entries
    .filter((e) => e !== match)
    .map((e) => `note: --resolve ${e.host}:${e.port}:${e.address} does not match ${url.hostname}:${port}, so it is not used (as in curl)`);
  const observation = await ingressRequest({
    url: url.href,
    connectTo: match ? { host: match.address, port } : undefined,
    headers,
    ca: opts.cacert ? await readPem(opts.cacert, '--cacert', 'certificate') : undefined,
    cert: opts.cert ? await readPem(opts.cert, '--cert', 'certificate') : undefined,
    key: opts.key ? await readPem(opts.key, '--key', 'key') : undefined,
    insecure: opts.insecure,
    timeoutMs: seconds * 1000,
  });
  return { observation, method: 'GET', notes };
}

function render({ observation: o, method, notes }: ProbeResult): string[] {
  const lines = [...notes, `${method} ${o.url} (connected to ${o.connectedTo})`];
  if (o.tlsVersion) lines.push(`tls: ${o.tlsVersion}`);
  if (o.certificate) lines.push(...renderCert(o.certificate));
  if (o.status !== undefined) {
    lines.push(`status: ${o.status}`);
    const server = o.headers?.['server'];
    if (server) lines.push(`server: ${server}`);
    if (o.body) lines.push(`body: ${oneLine(o.body)}${o.bodyTruncated ? ' (truncated)' : ''}`);
  }
  if (o.error) lines.push(`error: ${o.error.kind} (${o.error.code}): ${oneLine(o.error.message)}`);
  return lines;
}

function renderCert(c: CertSummary): string[] {
  return [
    `certificate: ${c.subject}`,
    `  issuer: ${c.issuer}`,
    `  names: ${c.sans.join(', ') || '(no SAN)'}`,
    `  valid: ${c.validFrom} .. ${c.validTo}`,
  ];
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  const name = h.slice(0, i).trim();
  if (i <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) {
    throw new UsageError(`header "${h}" is not "Name: value"`, "write it like curl, e.g. -H 'Host: httpbin.example.com'");
  }
  return [name.toLowerCase(), h.slice(i + 1).trim()];
}

const MIN_SECONDS = 0.001;
const MAX_SECONDS = 3600;
/** A PEM bundle of CA certificates is a few hundred KiB at most; /dev/zero is not one. */
const MAX_PEM_BYTES = 4 * 1024 * 1024;

/**
 * A PEM file given on the command line, checked here so a wrong file is a usage error naming it
 * (exit 2), not a TLS library error as a harness failure or, for --cacert, silently no CA.
 */
async function readPem(file: string, flag: string, what: 'certificate' | 'key'): Promise<string> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    if (info.size > MAX_PEM_BYTES)
      throw Object.assign(new Error('too large'), { code: `larger than ${MAX_PEM_BYTES / 1024 / 1024} MiB: not a PEM file` });
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      `check the path given to ${flag}`,
    );
  }
  const bad = (why: string) =>
    new UsageError(
      `${flag} ${file} ${why}`,
      `give a PEM file (-----BEGIN ${what === 'key' ? 'PRIVATE KEY' : 'CERTIFICATE'}-----), as curl's ${flag} takes`,
    );
  if (what === 'certificate') {
    const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) throw bad('holds no certificate (no -----BEGIN CERTIFICATE----- block)');
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (e) {
        throw bad(`holds a certificate that cannot be read: ${(e as Error).message}`);
      }
    }
  } else {
    try {
      createPrivateKey(text);
    } catch (e) {
      throw bad(`holds no private key that can be read (${(e as Error).message})`);
    }
  }
  return text;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function withoutHandshake(o: IngressResult): Omit<IngressResult, 'handshake'> {
  const { handshake: _h, ...rest } = o;
  return rest;
}
