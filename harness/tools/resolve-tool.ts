import { access, chmod, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import * as tar from 'tar';
import which from 'which';
import { PrerequisiteError, UsageError } from '../model/errors.ts';
import { execaRunner, type CommandRunner, type ProgressFn } from './command-runner.ts';
import { defaultCacheDir, toolCachePath } from './cache-dir.ts';
import { hostPlatform } from './platform.ts';
import { bareVersion, GITHUB_BASE, releaseAsset } from './release-asset.ts';
import { reportedVersion } from './tool-version.ts';
import { downloadVerified } from './verified-download.ts';

export type ToolName = 'kind' | 'istioctl';
export type Platform = { os: 'linux' | 'darwin'; arch: 'amd64' | 'arm64' };

export type ResolveToolOptions = {
  /** Base URL replacing https://github.com (same paths); default $CASEBOOK_MIRROR. */
  mirror?: string;
  /** Default: $XDG_CACHE_HOME/istio-casebook or ~/.cache/istio-casebook. */
  cacheDir?: string;
  onProgress?: ProgressFn;
  /** Default: this machine. */
  platform?: Platform;
  /** Skip looking on PATH (tests; or to force the cache). */
  ignorePath?: boolean;
  /** Default: process.env (PATH, CASEBOOK_MIRROR, XDG_CACHE_HOME). */
  env?: NodeJS.ProcessEnv;
  runner?: CommandRunner;
};

export type ResolvedTool = { name: ToolName; version: string; path: string; source: 'path' | 'cache' | 'download' };

/** PATH when its version matches, else the cache, else a verified download into the cache. */
export async function resolveTool(name: ToolName, version: string, opts: ResolveToolOptions = {}): Promise<ResolvedTool> {
  const wanted = bareVersion(version);
  // The version becomes part of a download URL and a cache path: `../../x` must not reach either.
  if (!semver.valid(wanted)) {
    throw new UsageError(`${name} version "${version}" is not a release version (x.y.z)`, `give a version such as ${name === 'kind' ? '0.32.0' : '1.30.3'}`);
  }
  const env = opts.env ?? process.env;
  const runner = opts.runner ?? execaRunner;
  const progress = opts.onProgress ?? (() => {});

  if (!opts.ignorePath) {
    const onPath = await which(name, { nothrow: true, path: env['PATH'] ?? '' });
    if (onPath) {
      const found = await reportedVersion(name, onPath, runner);
      if (found === wanted) return { name, version: wanted, path: onPath, source: 'path' };
      progress(`${name} on PATH (${onPath}) is ${found ?? 'of unknown version'}, not ${wanted}: using the cache`);
    }
  }

  const cacheDir = opts.cacheDir ?? defaultCacheDir(env);
  const target = toolCachePath(cacheDir, name, wanted);
  if (await isExecutable(target.binary)) return { name, version: wanted, path: target.binary, source: 'cache' };

  const mirror = opts.mirror ?? env['CASEBOOK_MIRROR'] ?? GITHUB_BASE;
  const asset = releaseAsset(name, wanted, opts.platform ?? hostPlatform(), mirror);
  await mkdir(cacheDir, { recursive: true });
  // Staged inside the cache folder so the final rename stays on one filesystem (atomic); removed
  // whatever happens, so a failed or mismatching download leaves nothing behind.
  const staging = await mkdtemp(join(cacheDir, `.download-${name}-`));
  try {
    const downloaded = join(staging, asset.fileName);
    await downloadVerified({ url: asset.url, checksumUrl: asset.checksumUrl, dest: downloaded, label: `${name} ${wanted}`, onProgress: progress });
    const stagedDir = join(staging, 'version');
    await mkdir(stagedDir);
    const stagedBinary = join(stagedDir, name);
    if (asset.format === 'tar.gz') {
      await tar.x({ file: downloaded, cwd: stagedDir, filter: (p) => p.replace(/^\.\//, '') === asset.binaryName, strict: true });
      await access(stagedBinary).catch(() => {
        throw new PrerequisiteError(`${asset.url} does not contain ${asset.binaryName} at its root`,
          'check the version, or put the tool on PATH');
      });
    } else {
      await rename(downloaded, stagedBinary);
    }
    // Verified: only now may it become executable.
    await chmod(stagedBinary, 0o755);
    await mkdir(join(cacheDir, name), { recursive: true });
    try {
      await rename(stagedDir, target.dir);
    } catch (err) {
      // Another process finished the same download first: keep theirs (it was verified too).
      if (!(await isExecutable(target.binary))) {
        // A damaged entry (no executable binary: a chmod lost, a half-copied folder) would fail
        // every later run with ENOTEMPTY: set it aside and put the verified copy in its place.
        progress(`${name} ${wanted}: the cache entry ${target.dir} was damaged; replacing it`);
        await rm(target.dir, { recursive: true, force: true });
        await rename(stagedDir, target.dir).catch((again: unknown) => { throw again instanceof Error ? again : err; });
      }
    }
    progress(`${name} ${wanted}: installed in ${target.dir}`);
    return { name, version: wanted, path: target.binary, source: 'download' };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
