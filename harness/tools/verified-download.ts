import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { ChecksumError, PrerequisiteError } from '../model/errors.ts';
import { terminalSafe } from '../report/terminal-text.ts';
import type { ProgressFn } from './command-runner.ts';

/** No single network wait may block a setup for minutes (undici's default is 300 s per header wait). */
export const NETWORK_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;
/** A checksum file is one line per asset; a few KiB is plenty, and a huge one is not a checksum file. */
const MAX_CHECKSUM_BYTES = 64 * 1024;
/** kind is ~10 MB and istioctl's archive ~30 MB; anything near this is not the release. */
export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;

/**
 * HTTP for tool downloads; HTTP(S)_PROXY / NO_PROXY are honoured for CI behind a proxy. Redirects
 * are followed by get() itself (GitHub answers release URLs with a redirect to its object store)
 * so that each hop can be checked: an https download never continues over plain http.
 */
function downloadDispatcher(timeoutMs: number, ca: string | undefined): Dispatcher {
  return new EnvHttpProxyAgent({
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: timeoutMs,
    ...(ca ? { connect: { ca } } : {}),
  });
}

/** Shown in a message: control characters (terminal escapes) as \xNN, cut to `max` characters. */
export function printable(text: string, max = 80): string {
  return terminalSafe(text.slice(0, max));
}

/**
 * The sha256 of `fileName` in a checksum file: the line naming it ("<hex> <name>", "<hex>  <name>",
 * "<hex> *<name>"), or a lone "<hex>" when the file has nothing else. A file naming only other
 * files is refused rather than trusting its first line.
 */
export function parseChecksumFile(text: string, source: string, fileName?: string): string {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const entries = lines.map((l) => l.split(/\s+/)).map(([hex, name]) => ({ hex: hex ?? '', name: name?.replace(/^\*/, '') }));
  const bare = entries.length === 1 && entries[0]!.name === undefined;
  const entry = bare || fileName === undefined ? entries[0] : entries.find((e) => e.name === fileName);
  if (!entry || !/^[0-9a-f]{64}$/i.test(entry.hex)) {
    throw new ChecksumError(
      entry || fileName === undefined
        ? `checksum file ${source} does not start with a sha256 hex digest (got "${printable(text)}")`
        : `checksum file ${source} has no line for ${fileName} (got "${printable(text)}")`,
      'check the --mirror base or CASEBOOK_MIRROR: it must serve the release files under the same paths as https://github.com',
    );
  }
  return entry.hex.toLowerCase();
}

async function readCapped(body: Dispatcher.ResponseData['body'], max: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw new ChecksumError(
        `checksum file ${url} is larger than ${formatBytes(max)}: not a checksum file`,
        'check the --mirror base or CASEBOOK_MIRROR: it must serve the release files under the same paths as https://github.com',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function get(url: string, dispatcher: Dispatcher): Promise<Dispatcher.ResponseData> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(current, { dispatcher, headers: { 'user-agent': 'istio-casebook' } });
    } catch (err) {
      throw new PrerequisiteError(
        `cannot download ${current}: ${(err as Error).message}`,
        'check the network, or point --mirror / CASEBOOK_MIRROR at a server with the same paths',
        { cause: err },
      );
    }
    const location = res.headers['location'];
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      await res.body.dump();
      const next = new URL(location, current);
      if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') {
        throw new PrerequisiteError(
          `download of ${url} was redirected from ${current} to ${printable(next.href, 200)}, which is not https: refused`,
          'a tool download must stay on https; check the mirror (--mirror / CASEBOOK_MIRROR) or the proxy in between',
        );
      }
      current = next.href;
      continue;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new PrerequisiteError(
        `download of ${current} answered HTTP ${res.statusCode}`,
        'check that the version exists as a release, or put the tool on PATH',
      );
    }
    return res;
  }
  throw new PrerequisiteError(
    `download of ${url} was redirected more than ${MAX_REDIRECTS} times`,
    'check the mirror (--mirror / CASEBOOK_MIRROR)',
  );
}

/**
 * Downloads `url` to `dest` (mode 0600, not executable) and checks it against the digest published
 * at `checksumUrl`. On a mismatch `dest` is removed by the caller's temp-dir cleanup and a
 * ChecksumError is thrown; nothing is ever marked executable before this returns.
 */
export async function downloadVerified(opts: {
  url: string;
  checksumUrl: string;
  dest: string;
  label: string;
  onProgress?: ProgressFn;
  /** Per wait (connect, headers, each body chunk); default NETWORK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Extra CA to trust (tests with a local https server; NODE_EXTRA_CA_CERTS does the same for users). */
  ca?: string;
  /** The sha256 pinned outside the mirror (versions.ts or casebook.lock.json): published and downloaded must both match it. */
  pinned?: { sha256: string; refuse: (what: string, actual: string) => Error };
  /** Default MAX_DOWNLOAD_BYTES. */
  maxBytes?: number;
}): Promise<{ sha256: string; bytes: number }> {
  const maxBytes = opts.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const dispatcher = downloadDispatcher(opts.timeoutMs ?? NETWORK_TIMEOUT_MS, opts.ca);
  try {
    const sumRes = await get(opts.checksumUrl, dispatcher);
    const fileName = decodeURIComponent(new URL(opts.url).pathname.split('/').pop() ?? '');
    const expected = parseChecksumFile(await readCapped(sumRes.body, MAX_CHECKSUM_BYTES, opts.checksumUrl), opts.checksumUrl, fileName);
    // A mirror publishing another sum than the pinned one is refused before the download.
    if (opts.pinned && expected !== opts.pinned.sha256) throw opts.pinned.refuse(`the checksum published at ${opts.checksumUrl}`, expected);
    const res = await get(opts.url, dispatcher);
    const total = Number(res.headers['content-length']) || undefined;
    if (total !== undefined && total > maxBytes) {
      await res.body.dump().catch(() => {});
      throw new PrerequisiteError(
        `download of ${opts.url} announces ${formatBytes(total)}, more than the ${formatBytes(maxBytes)} a tool release may have: refused`,
        'check the --mirror / CASEBOOK_MIRROR server: it must serve the release files under the same paths as https://github.com',
      );
    }
    opts.onProgress?.(`${opts.label}: downloading ${opts.url}${total ? ` (${formatBytes(total)})` : ''}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let nextReport = 0.25;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        if (bytes > maxBytes) {
          done(new Error(`more than ${formatBytes(maxBytes)}, which no tool release has: refused`));
          return;
        }
        if (total && bytes / total >= nextReport) {
          opts.onProgress?.(`${opts.label}: ${Math.floor((bytes / total) * 100)}%`);
          nextReport += 0.25;
        }
        done(null, chunk);
      },
    });
    await pipeline(res.body, meter, createWriteStream(opts.dest, { mode: 0o600 })).catch((err: unknown) => {
      // A dropped connection or a stalled body is the network's fault, not a harness failure.
      throw new PrerequisiteError(
        `download of ${opts.url} stopped after ${formatBytes(bytes)}: ${(err as Error).message}`,
        'retry; if it keeps failing, check the network or the --mirror / CASEBOOK_MIRROR server',
        { cause: err },
      );
    });
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new ChecksumError(
        `checksum mismatch for ${opts.url}: published sha256 ${expected}, downloaded file has ${actual}; nothing was installed`,
        'the download or the mirror is corrupt or tampered with: retry, or check the --mirror / CASEBOOK_MIRROR server',
      );
    }
    if (opts.pinned && actual !== opts.pinned.sha256) throw opts.pinned.refuse('the downloaded file', actual);
    opts.onProgress?.(`${opts.label}: sha256 ${actual} matches ${opts.checksumUrl}${opts.pinned ? ' and the pinned sum' : ''}`);
    return { sha256: actual, bytes };
  } finally {
    await dispatcher.close();
  }
}

export function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}
