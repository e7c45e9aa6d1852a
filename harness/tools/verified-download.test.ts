// Unit tests with real local servers on 127.0.0.1 (no internet): an https mirror whose certificate
// comes from a throwaway CA, a plain http server, and a server that never answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertStore, type CertStore } from '../certs/cert-store.ts';
import { ChecksumError, PrerequisiteError } from '../model/errors.ts';
import { downloadVerified, parseChecksumFile } from './verified-download.ts';

const BINARY = Buffer.from('#!/bin/sh\necho kind v0.32.0\n');
const SUM = createHash('sha256').update(BINARY).digest('hex');
let store: CertStore;
let dir: string;
const servers: Server[] = [];
let plainPort = 0;
let httpsPort = 0;
let silentPort = 0;
const listen = async (s: Server) => {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};
const plainHits: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'casebook-download-'));
  store = await createCertStore();
  await store.ca('mirror-ca', { subject: 'O=mirror test CA,CN=mirror' });
  await store.server('mirror', { ca: 'mirror-ca', commonName: 'localhost', dnsNames: ['localhost'] });
  plainPort = await listen(
    createHttpServer((req, res) => {
      plainHits.push(req.url ?? '');
      res.end(req.url?.endsWith('.sha256sum') ? `${SUM}  kind-linux-amd64\n` : BINARY);
    }),
  );
  httpsPort = await listen(
    createHttpsServer({ cert: store.get('mirror').certPem, key: store.keyPem('mirror') }, (req, res) => {
      // Every https request is sent on to plain http on the same host: a downgrade.
      res.writeHead(302, { location: `http://127.0.0.1:${plainPort}${req.url}` }).end();
    }),
  );
  silentPort = await listen(
    createHttpServer(() => {
      /* never answers */
    }),
  );
});
after(async () => {
  for (const s of servers) {
    s.closeAllConnections?.();
    s.close();
  }
  await store.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('an https download redirected to plain http is refused before any request goes over http; nothing is written', async () => {
  const dest = join(dir, 'kind');
  await assert.rejects(
    downloadVerified({
      url: `https://localhost:${httpsPort}/kind-linux-amd64`,
      checksumUrl: `https://localhost:${httpsPort}/kind-linux-amd64.sha256sum`,
      dest,
      label: 'kind',
      ca: store.get('mirror-ca').certPem,
    }),
    (e: unknown) => e instanceof PrerequisiteError && /which is not https: refused/.test((e as Error).message),
  );
  assert.deepEqual(plainHits, []);
  assert.deepEqual(await readdir(dir), []);
});

test('a server that accepts and never answers fails within the timeout, as a prerequisite problem', async () => {
  const started = Date.now();
  await assert.rejects(
    downloadVerified({
      url: `http://127.0.0.1:${silentPort}/kind`,
      checksumUrl: `http://127.0.0.1:${silentPort}/kind.sha256sum`,
      dest: join(dir, 'x'),
      label: 'kind',
      timeoutMs: 300,
    }),
    PrerequisiteError,
  );
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
});

test('W6: the checksum line must name the downloaded file; a file naming only another file is refused', () => {
  assert.equal(parseChecksumFile(`${'a'.repeat(64)}  other-file\n${SUM}  kind-linux-amd64\n`, 'u', 'kind-linux-amd64'), SUM);
  assert.equal(parseChecksumFile(`${SUM} *kind-linux-amd64\r\n`, 'u', 'kind-linux-amd64'), SUM);
  assert.equal(parseChecksumFile(`${SUM}\n`, 'u', 'kind-linux-amd64'), SUM, 'a bare digest is accepted');
  assert.throws(
    () => parseChecksumFile(`${SUM}  evil-other-file\n`, 'u', 'kind-linux-amd64'),
    (e: unknown) => e instanceof ChecksumError && /no line for kind-linux-amd64/.test((e as Error).message),
  );
});

test('terminal escape sequences in a bad checksum file are shown as \\xNN, never raw', () => {
  assert.throws(
    () => parseChecksumFile('\x1b]0;PWNED\x07\x1b[31mred', 'u', 'kind'),
    (e: unknown) => {
      const m = (e as Error).message;
      return !m.includes('\x1b') && !m.includes('\x07') && m.includes('\\x1b]0;PWNED\\x07');
    },
  );
});

test('a body larger than the cap is refused, announced (Content-Length) or streamed, and the partial file is not kept as a success', async () => {
  const big = Buffer.alloc(64 * 1024, 1);
  const bigSum = createHash('sha256').update(big).digest('hex');
  const port = await listen(
    createHttpServer((req, res) => {
      if (req.url?.endsWith('.sha256')) {
        res.end(`${bigSum}  kind\n`);
        return;
      }
      if (req.url?.startsWith('/announced')) res.writeHead(200, { 'content-length': big.length });
      res.end(big);
    }),
  );
  for (const path of ['/announced/kind', '/streamed/kind']) {
    await assert.rejects(
      downloadVerified({
        url: `http://127.0.0.1:${port}${path}`,
        checksumUrl: `http://127.0.0.1:${port}${path}.sha256`,
        dest: join(dir, 'capped'),
        label: 'kind',
        maxBytes: 16 * 1024,
      }),
      (e: unknown) => e instanceof PrerequisiteError && /16\.4 kB/.test((e as Error).message),
      path,
    );
  }
});
