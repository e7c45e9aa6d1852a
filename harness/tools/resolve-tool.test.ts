// Unit tests: no cluster, no internet. Downloads come from a local HTTP server on 127.0.0.1 that
// serves fake release files under GitHub's paths; the fake "binaries" are shell scripts run for real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ChecksumError, UsageError } from '../model/errors.ts';
import { toolCachePath } from './cache-dir.ts';
import { resolveTool } from './resolve-tool.ts';
import { fakeToolScript, startLocalReleaseMirror, type LocalReleaseMirror } from './testing/local-release-mirror.ts';

const platform = { os: 'linux', arch: 'amd64' } as const;
let mirror: LocalReleaseMirror;
let scratch: string;

before(async () => {
  mirror = await startLocalReleaseMirror([
    { tool: 'kind', version: '0.32.0' },
    { tool: 'kind', version: '0.31.0', corruptChecksum: true },
    { tool: 'istioctl', version: '1.30.3' },
    { tool: 'istioctl', version: '1.29.6', corruptChecksum: true },
  ], platform);
  scratch = await mkdtemp(join(tmpdir(), 'casebook-resolve-'));
});
after(async () => {
  await mirror.close();
  await rm(scratch, { recursive: true, force: true });
});

async function freshCache(): Promise<string> {
  return mkdtemp(join(scratch, 'cache-'));
}

async function listRecursive(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

test('kind: downloads from a local mirror (no internet), verifies sha256, then serves it from the cache', async () => {
  const cacheDir = await freshCache();
  const lines: string[] = [];
  const first = await resolveTool('kind', '0.32.0', { mirror: mirror.url, cacheDir, platform, ignorePath: true, onProgress: (l) => lines.push(l) });
  assert.equal(first.source, 'download');
  assert.equal(first.path, join(cacheDir, 'kind', '0.32.0', 'kind'));
  assert.equal((await stat(first.path)).mode & 0o777, 0o755);
  const run = await execa(first.path, ['version']);
  assert.equal(run.stdout, 'kind v0.32.0 go1.24.0 linux/amd64');
  assert.ok(lines.some((l) => l.includes('sha256') && l.includes('matches')), lines.join('\n'));
  assert.ok(mirror.requests.includes('/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64'));
  assert.ok(mirror.requests.includes('/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum'));
  assert.deepEqual(await listRecursive(cacheDir), ['kind', 'kind/0.32.0', 'kind/0.32.0/kind']);

  const before = mirror.requests.length;
  const second = await resolveTool('kind', 'v0.32.0', { mirror: mirror.url, cacheDir, platform, ignorePath: true });
  assert.equal(second.source, 'cache');
  assert.equal(second.path, first.path);
  assert.equal(mirror.requests.length, before, 'a cache hit makes no request');
});

test('kind: a published checksum that does not match throws ChecksumError and leaves nothing in the cache', async () => {
  const cacheDir = await freshCache();
  await assert.rejects(
    resolveTool('kind', '0.31.0', { mirror: mirror.url, cacheDir, platform, ignorePath: true }),
    (err: unknown) => err instanceof ChecksumError && /checksum/.test(err.message) && err.message.includes('kind-linux-amd64'),
  );
  assert.deepEqual(await listRecursive(cacheDir), []);
});

test('istioctl: tar.gz from the local mirror is verified, then only ./istioctl is extracted and made executable', async () => {
  const cacheDir = await freshCache();
  const tool = await resolveTool('istioctl', '1.30.3', { mirror: `${mirror.url}/`, cacheDir, platform, ignorePath: true });
  assert.equal(tool.source, 'download');
  assert.equal((await execa(tool.path, ['version', '--remote=false'])).stdout, 'client version: 1.30.3');
  assert.deepEqual(await listRecursive(cacheDir), ['istioctl', 'istioctl/1.30.3', 'istioctl/1.30.3/istioctl']);
  assert.ok(mirror.requests.includes('/istio/istio/releases/download/1.30.3/istioctl-1.30.3-linux-amd64.tar.gz.sha256'));
});

test('istioctl: checksum mismatch throws ChecksumError; nothing is extracted or cached', async () => {
  const cacheDir = await freshCache();
  await assert.rejects(
    resolveTool('istioctl', '1.29.6', { mirror: mirror.url, cacheDir, platform, ignorePath: true }),
    (err: unknown) => err instanceof ChecksumError && /checksum mismatch/.test(err.message),
  );
  assert.deepEqual(await listRecursive(cacheDir), []);
});

test('CASEBOOK_MIRROR is used when no mirror option is given; a missing release is a PrerequisiteError naming the URL', async () => {
  const cacheDir = await freshCache();
  const env = { CASEBOOK_MIRROR: mirror.url, PATH: '' };
  const tool = await resolveTool('kind', '0.32.0', { cacheDir, platform, env });
  assert.equal(tool.source, 'download');
  await assert.rejects(resolveTool('kind', '9.9.9', { cacheDir, platform, env }),
    (err: Error) => err.name === 'PrerequisiteError' && err.message.includes('/v9.9.9/kind-linux-amd64') && /HTTP 404/.test(err.message));
  assert.deepEqual(await listRecursive(cacheDir), ['kind', 'kind/0.32.0', 'kind/0.32.0/kind']);
});

test('PATH: a binary whose reported version matches is used as is; another version falls through to the cache', async () => {
  const bin = await mkdtemp(join(scratch, 'bin-'));
  await writeFile(join(bin, 'istioctl'), fakeToolScript('istioctl', '1.30.3'));
  await chmod(join(bin, 'istioctl'), 0o755);
  const cacheDir = await freshCache();
  const env = { PATH: bin };
  const hit = await resolveTool('istioctl', '1.30.3', { cacheDir, platform, env, mirror: mirror.url });
  assert.deepEqual(hit, { name: 'istioctl', version: '1.30.3', path: join(bin, 'istioctl'), source: 'path' });

  await writeFile(join(bin, 'kind'), fakeToolScript('kind', '0.30.0'));
  await chmod(join(bin, 'kind'), 0o755);
  const lines: string[] = [];
  const miss = await resolveTool('kind', '0.32.0', { cacheDir, platform, env, mirror: mirror.url, onProgress: (l) => lines.push(l) });
  assert.equal(miss.source, 'download');
  assert.match(lines[0] ?? '', /kind on PATH .* is 0\.30\.0, not 0\.32\.0/);
});

test('S7: a version that is not x.y.z (`setup --kind ../../../outside/evil`) is a usage error; nothing is requested or written', async () => {
  const cacheDir = await freshCache();
  const before = mirror.requests.length;
  for (const v of ['../../../outside/evil', '0.32.0/../../x', '..']) {
    await assert.rejects(resolveTool('kind', v, { mirror: mirror.url, cacheDir, platform, ignorePath: true }),
      (e: unknown) => e instanceof UsageError && /is not a release version/.test((e as Error).message), v);
  }
  assert.equal(mirror.requests.length, before, 'no request reached the mirror');
  assert.deepEqual(await listRecursive(cacheDir), []);
  assert.throws(() => toolCachePath(cacheDir, 'kind', '../x'), UsageError);
});

test('U3: a damaged cache entry (binary not executable) is replaced by a fresh verified download, not ENOTEMPTY forever', async () => {
  const cacheDir = await freshCache();
  const first = await resolveTool('kind', '0.32.0', { mirror: mirror.url, cacheDir, platform, ignorePath: true });
  await chmod(first.path, 0o644);
  const again = await resolveTool('kind', '0.32.0', { mirror: mirror.url, cacheDir, platform, ignorePath: true });
  assert.equal(again.source, 'download');
  assert.equal((await stat(again.path)).mode & 0o111, 0o111);
  assert.equal((await listRecursive(cacheDir)).some((p) => p.startsWith('.download-')), false, 'no staging folder left');
});
