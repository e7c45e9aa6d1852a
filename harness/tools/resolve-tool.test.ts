// Unit tests: no cluster, no internet. Downloads come from a local HTTP server on 127.0.0.1 that
// serves fake release files under GitHub's paths; the fake "binaries" are shell scripts run for real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import * as tar from 'tar';
import { ChecksumError, PrerequisiteError, UsageError } from '../model/errors.ts';
import { toolCachePath } from './cache-dir.ts';
import { resolveTool, sweepStaleStaging } from './resolve-tool.ts';
import { fakeToolScript, startLocalReleaseMirror, type LocalReleaseMirror } from './testing/local-release-mirror.ts';

const platform = { os: 'linux', arch: 'amd64' } as const;
let mirror: LocalReleaseMirror;
let scratch: string;

before(async () => {
  mirror = await startLocalReleaseMirror(
    [
      { tool: 'kind', version: '0.32.0' },
      { tool: 'kind', version: '0.31.0', corruptChecksum: true },
      { tool: 'istioctl', version: '1.30.3' },
      { tool: 'istioctl', version: '1.29.6', corruptChecksum: true },
    ],
    platform,
  );
  scratch = await mkdtemp(join(tmpdir(), 'casebook-resolve-'));
});
after(async () => {
  await mirror.close();
  await rm(scratch, { recursive: true, force: true });
});

async function freshCache(): Promise<string> {
  return mkdtemp(join(scratch, 'cache-'));
}

/** Never the repository's casebook.lock.json: each test cache has its own lock file beside it. */
const lockOf = (cacheDir: string) => `${cacheDir}.lock.json`;

async function listRecursive(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

test('kind: downloads from a local mirror (no internet), verifies sha256, then serves it from the cache', async () => {
  const cacheDir = await freshCache();
  const lines: string[] = [];
  const first = await resolveTool('kind', '0.32.0', {
    mirror: mirror.url,
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    ignorePath: true,
    onProgress: (l) => lines.push(l),
  });
  assert.equal(first.source, 'download');
  assert.equal(first.path, join(cacheDir, 'kind', '0.32.0', 'kind'));
  assert.equal((await stat(first.path)).mode & 0o777, 0o755);
  const run = await execa(first.path, ['version']);
  assert.equal(run.stdout, 'kind v0.32.0 go1.24.0 linux/amd64');
  assert.ok(
    lines.some((l) => l.includes('sha256') && l.includes('matches')),
    lines.join('\n'),
  );
  assert.ok(mirror.requests.includes('/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64'));
  assert.ok(mirror.requests.includes('/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum'));
  assert.deepEqual(await listRecursive(cacheDir), ['kind', 'kind/0.32.0', 'kind/0.32.0/kind']);

  const before = mirror.requests.length;
  const second = await resolveTool('kind', 'v0.32.0', {
    mirror: mirror.url,
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    ignorePath: true,
  });
  assert.equal(second.source, 'cache');
  assert.equal(second.path, first.path);
  assert.equal(mirror.requests.length, before, 'a cache hit makes no request');
});

test('kind: a published checksum that does not match throws ChecksumError and leaves nothing in the cache', async () => {
  const cacheDir = await freshCache();
  await assert.rejects(
    resolveTool('kind', '0.31.0', { mirror: mirror.url, cacheDir, lockFile: lockOf(cacheDir), platform, ignorePath: true }),
    (err: unknown) => err instanceof ChecksumError && /checksum/.test(err.message) && err.message.includes('kind-linux-amd64'),
  );
  assert.deepEqual(await listRecursive(cacheDir), []);
});

test('istioctl: tar.gz from the local mirror is verified, then only ./istioctl is extracted and made executable', async () => {
  const cacheDir = await freshCache();
  const tool = await resolveTool('istioctl', '1.30.3', {
    mirror: `${mirror.url}/`,
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    ignorePath: true,
  });
  assert.equal(tool.source, 'download');
  assert.equal((await execa(tool.path, ['version', '--remote=false'])).stdout, 'client version: 1.30.3');
  assert.deepEqual(await listRecursive(cacheDir), ['istioctl', 'istioctl/1.30.3', 'istioctl/1.30.3/istioctl']);
  assert.ok(mirror.requests.includes('/istio/istio/releases/download/1.30.3/istioctl-1.30.3-linux-amd64.tar.gz.sha256'));
});

test('istioctl: checksum mismatch throws ChecksumError; nothing is extracted or cached', async () => {
  const cacheDir = await freshCache();
  await assert.rejects(
    resolveTool('istioctl', '1.29.6', { mirror: mirror.url, cacheDir, lockFile: lockOf(cacheDir), platform, ignorePath: true }),
    (err: unknown) => err instanceof ChecksumError && /checksum mismatch/.test(err.message),
  );
  assert.deepEqual(await listRecursive(cacheDir), []);
});

test('CASEBOOK_MIRROR is used when no mirror option is given; a missing release is a PrerequisiteError naming the URL', async () => {
  const cacheDir = await freshCache();
  const env = { CASEBOOK_MIRROR: mirror.url, PATH: '' };
  const tool = await resolveTool('kind', '0.32.0', { cacheDir, lockFile: lockOf(cacheDir), platform, env });
  assert.equal(tool.source, 'download');
  await assert.rejects(
    resolveTool('kind', '9.9.9', { cacheDir, lockFile: lockOf(cacheDir), platform, env }),
    (err: Error) => err.name === 'PrerequisiteError' && err.message.includes('/v9.9.9/kind-linux-amd64') && /HTTP 404/.test(err.message),
  );
  assert.deepEqual(await listRecursive(cacheDir), ['kind', 'kind/0.32.0', 'kind/0.32.0/kind']);
});

test('PATH: a binary whose reported version matches is used as is; another version falls through to the cache', async () => {
  const bin = await mkdtemp(join(scratch, 'bin-'));
  await writeFile(join(bin, 'istioctl'), fakeToolScript('istioctl', '1.30.3'));
  await chmod(join(bin, 'istioctl'), 0o755);
  const cacheDir = await freshCache();
  const env = { PATH: bin };
  const hit = await resolveTool('istioctl', '1.30.3', { cacheDir, lockFile: lockOf(cacheDir), platform, env, mirror: mirror.url });
  assert.deepEqual(hit, { name: 'istioctl', version: '1.30.3', path: join(bin, 'istioctl'), source: 'path' });

  await writeFile(join(bin, 'kind'), fakeToolScript('kind', '0.30.0'));
  await chmod(join(bin, 'kind'), 0o755);
  const lines: string[] = [];
  const miss = await resolveTool('kind', '0.32.0', {
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    env,
    mirror: mirror.url,
    onProgress: (l) => lines.push(l),
  });
  assert.equal(miss.source, 'download');
  assert.match(lines[0] ?? '', /kind on PATH .* is 0\.30\.0, not 0\.32\.0/);
});

test('a version that is not x.y.z (`setup --kind ../../../outside/evil`) is a usage error; nothing is requested or written', async () => {
  const cacheDir = await freshCache();
  const before = mirror.requests.length;
  for (const v of ['../../../outside/evil', '0.32.0/../../x', '..']) {
    await assert.rejects(
      resolveTool('kind', v, { mirror: mirror.url, cacheDir, lockFile: lockOf(cacheDir), platform, ignorePath: true }),
      (e: unknown) => e instanceof UsageError && /is not a release version/.test((e as Error).message),
      v,
    );
  }
  assert.equal(mirror.requests.length, before, 'no request reached the mirror');
  assert.deepEqual(await listRecursive(cacheDir), []);
  assert.throws(() => toolCachePath(cacheDir, 'kind', '../x'), UsageError);
});

test('a damaged cache entry (binary not executable) is replaced by a fresh verified download, not ENOTEMPTY forever', async () => {
  const cacheDir = await freshCache();
  const first = await resolveTool('kind', '0.32.0', {
    mirror: mirror.url,
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    ignorePath: true,
  });
  await chmod(first.path, 0o644);
  const again = await resolveTool('kind', '0.32.0', {
    mirror: mirror.url,
    cacheDir,
    lockFile: lockOf(cacheDir),
    platform,
    ignorePath: true,
  });
  assert.equal(again.source, 'download');
  assert.equal((await stat(again.path)).mode & 0o111, 0o111);
  assert.equal(
    (await listRecursive(cacheDir)).some((p) => p.startsWith('.download-')),
    false,
    'no staging folder left',
  );
});

test('the first verified download records its sha256 in the lock file; a later download of another file is refused, whatever the mirror publishes', async () => {
  const own = await startLocalReleaseMirror([{ tool: 'kind', version: '0.30.0' }], platform);
  try {
    const cacheDir = await freshCache();
    const lockFile = join(scratch, 'pin-test.lock.json');
    const lines: string[] = [];
    const first = await resolveTool('kind', '0.30.0', {
      mirror: own.url,
      cacheDir,
      lockFile,
      platform,
      ignorePath: true,
      onProgress: (l) => lines.push(l),
    });
    const sha = createHash('sha256')
      .update(await readFile(first.path))
      .digest('hex');
    assert.deepEqual(JSON.parse(await readFile(lockFile, 'utf8')).sha256, { 'kind/0.30.0/kind-linux-amd64': sha });
    assert.ok(
      lines.some((l) => l.includes(`sha256 recorded in ${lockFile}`)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /warning: the mirror http:\/\/127\.0\.0\.1:\d+ is plain http/.test(l)),
      'an http mirror is warned about',
    );

    // The mirror now serves another binary, with a checksum file that matches it.
    own.republish('kind', '0.30.0', Buffer.from('#!/bin/sh\necho "kind v0.30.0 go1.24.0 linux/amd64"; echo owned\n'));
    const other = await freshCache();
    const before = own.requests.length;
    const again: string[] = [];
    await assert.rejects(
      resolveTool('kind', '0.30.0', {
        mirror: own.url,
        cacheDir: other,
        lockFile,
        platform,
        ignorePath: true,
        onProgress: (l) => again.push(l),
      }),
      (e: unknown) =>
        e instanceof ChecksumError &&
        e instanceof PrerequisiteError &&
        e.message.includes(`pins ${sha}`) &&
        e.message.includes(lockFile) &&
        (e.hint ?? '').includes('delete the "kind/0.30.0/kind-linux-amd64" entry'),
    );
    assert.ok(
      own.requests.slice(before).every((p) => p.endsWith('.sha256sum')),
      'refused on the published sum, before the binary was fetched',
    );
    assert.deepEqual(await listRecursive(other), [], 'nothing installed');
    assert.equal(again.filter((l) => l.includes('warning: the mirror')).length, 0, 'the http warning is said once per mirror');
    assert.deepEqual(
      JSON.parse(await readFile(lockFile, 'utf8')).sha256,
      { 'kind/0.30.0/kind-linux-amd64': sha },
      'the lock keeps the first sum',
    );
  } finally {
    await own.close();
  }
});

test('staging folders of abandoned downloads older than an hour are removed; a fresh one (a live download) is kept', async () => {
  const cacheDir = await freshCache();
  const old = join(cacheDir, '.download-kind-OLD');
  const live = join(cacheDir, '.download-kind-LIVE');
  for (const d of [old, live]) {
    await mkdir(d);
    await writeFile(join(d, 'kind-linux-amd64'), 'partial');
  }
  const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(join(old, 'kind-linux-amd64'), hourAgo, hourAgo);
  await utimes(old, hourAgo, hourAgo);
  await resolveTool('kind', '0.32.0', { mirror: mirror.url, cacheDir, lockFile: lockOf(cacheDir), platform, ignorePath: true });
  const left = await readdir(cacheDir);
  assert.ok(!left.includes('.download-kind-OLD'), left.join(' '));
  assert.ok(left.includes('.download-kind-LIVE'), left.join(' '));
});

test('casebook clean lists abandoned download folders with --dry-run and removes them otherwise; a live one stays', async () => {
  const cacheDir = await freshCache();
  const old = join(cacheDir, '.download-istioctl-OLD');
  const live = join(cacheDir, '.download-istioctl-LIVE');
  for (const d of [old, live]) await mkdir(d);
  const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await utimes(old, hourAgo, hourAgo);
  assert.deepEqual(await sweepStaleStaging(cacheDir, undefined, Date.now(), true), [old]);
  assert.ok((await readdir(cacheDir)).includes('.download-istioctl-OLD'), 'a dry run removes nothing');
  assert.deepEqual(await sweepStaleStaging(cacheDir), [old]);
  assert.deepEqual(
    (await readdir(cacheDir)).filter((e) => e.startsWith('.download-')),
    ['.download-istioctl-LIVE'],
  );
});

test('an archive whose istioctl is a link is refused as a prerequisite problem (exit 2), nothing outside staging is touched', async () => {
  const work = await mkdtemp(join(scratch, 'evil-'));
  const victim = join(work, 'victim');
  await writeFile(victim, 'mine', { mode: 0o600 });
  await symlink(victim, join(work, 'istioctl'));
  const archive = join(work, 'a.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: work }, ['istioctl']);
  const own = await startLocalReleaseMirror([{ tool: 'istioctl', version: '1.28.0' }], platform);
  try {
    own.republish('istioctl', '1.28.0', await readFile(archive));
    const cacheDir = await freshCache();
    await assert.rejects(
      resolveTool('istioctl', '1.28.0', { mirror: own.url, cacheDir, lockFile: lockOf(cacheDir), platform, ignorePath: true }),
      (e: unknown) => e instanceof PrerequisiteError && /istioctl-1\.28\.0-linux-amd64\.tar\.gz/.test((e as Error).message),
    );
    assert.equal((await stat(victim)).mode & 0o777, 0o600);
    assert.deepEqual(await listRecursive(cacheDir), []);
  } finally {
    await own.close();
  }
});
