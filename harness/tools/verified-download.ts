import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import { ChecksumError, PrerequisiteError } from '../model/errors.ts';
import type { ProgressFn } from './command-runner.ts';

/**
 * HTTP for tool downloads. GitHub answers release URLs with a redirect to its object store, so
 * redirects are followed; HTTP(S)_PROXY / NO_PROXY are honoured for CI behind a proxy.
 */
function downloadDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent().compose(interceptors.redirect({ maxRedirections: 5 }));
}

/** The first field of a checksum file: "<hex> <name>" (istio) or "<hex>  <name>" (shasum, kind). */
export function parseChecksumFile(text: string, source: string): string {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^[0-9a-f]{64}$/i.test(first)) {
    throw new ChecksumError(`checksum file ${source} does not start with a sha256 hex digest (got "${text.slice(0, 80)}")`,
      'check the --mirror base or CASEBOOK_MIRROR: it must serve the release files under the same paths as https://github.com');
  }
  return first.toLowerCase();
}

async function get(url: string, dispatcher: Dispatcher): Promise<Dispatcher.ResponseData> {
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, { dispatcher, headers: { 'user-agent': 'istio-casebook' } });
  } catch (err) {
    throw new PrerequisiteError(`cannot download ${url}: ${(err as Error).message}`,
      'check the network, or point --mirror / CASEBOOK_MIRROR at a server with the same paths', { cause: err });
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new PrerequisiteError(`download of ${url} answered HTTP ${res.statusCode}`,
      'check that the version exists as a release, or put the tool on PATH');
  }
  return res;
}

/**
 * Downloads `url` to `dest` (mode 0600, not executable) and checks it against the digest published
 * at `checksumUrl`. On a mismatch `dest` is removed by the caller's temp-dir cleanup and a
 * ChecksumError is thrown; nothing is ever marked executable before this returns.
 */
export async function downloadVerified(opts: { url: string; checksumUrl: string; dest: string; label: string; onProgress?: ProgressFn }): Promise<{ sha256: string; bytes: number }> {
  const dispatcher = downloadDispatcher();
  try {
    const sumRes = await get(opts.checksumUrl, dispatcher);
    const expected = parseChecksumFile(await sumRes.body.text(), opts.checksumUrl);
    const res = await get(opts.url, dispatcher);
    const total = Number(res.headers['content-length']) || undefined;
    opts.onProgress?.(`${opts.label}: downloading ${opts.url}${total ? ` (${formatBytes(total)})` : ''}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let nextReport = 0.25;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        if (total && bytes / total >= nextReport) {
          opts.onProgress?.(`${opts.label}: ${Math.floor((bytes / total) * 100)}%`);
          nextReport += 0.25;
        }
        done(null, chunk);
      },
    });
    await pipeline(res.body, meter, createWriteStream(opts.dest, { mode: 0o600 }));
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new ChecksumError(
        `checksum mismatch for ${opts.url}: published sha256 ${expected}, downloaded file has ${actual}; nothing was installed`,
        'the download or the mirror is corrupt or tampered with: retry, or check the --mirror / CASEBOOK_MIRROR server');
    }
    opts.onProgress?.(`${opts.label}: sha256 ${actual} matches ${opts.checksumUrl}`);
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
