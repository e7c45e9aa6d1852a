import { access, chmod, constants, lstat, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import * as tar from 'tar';
import which from 'which';
import { PrerequisiteError, UsageError } from '../model/errors.ts';
import { execaRunner, type CommandRunner, type ProgressFn } from './command-runner.ts';
import { defaultCacheDir, toolCachePath } from './cache-dir.ts';
import { hostPlatform, type Platform, type ToolName } from './platform.ts';
import { bareVersion, GITHUB_BASE, releaseAsset } from './release-asset.ts';
import { reportedVersion } from './tool-version.ts';
import { defaultLockFile, lockKey, pinMismatch, pinnedSha256, recordSha256 } from './tool-lock.ts';
import { downloadVerified, printable } from './verified-download.ts';

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
  /** The sha256 lock file (tool-lock.ts); default $CASEBOOK_LOCK_FILE or <repository>/casebook.lock.json. */
  lockFile?: string;
};

/** Staging folders of downloads older than this were abandoned (Ctrl-C, a killed process): removed. */
export const STALE_STAGING_MS = 60 * 60 * 1000;
const warnedHttpMirrors = new Set<string>();

export type ResolvedTool = { name: ToolName; version: string; path: string; source: 'path' | 'cache' | 'download' };

/** PATH when its version matches, else the cache, else a verified download into the cache. */
export async function resolveTool(name: ToolName, version: string, opts: ResolveToolOptions = {}): Promise<ResolvedTool> {
  const wanted = bareVersion(version);
  // The version becomes part of a download URL and a cache path: `../../x` must not reach either.
  if (!semver.valid(wanted)) {
    throw new UsageError(
      `${name} version "${version}" is not a release version (x.y.z)`,
      `give a version such as ${name === 'kind' ? '0.32.0' : '1.30.3'}`,
    );
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
  if (/^http:/i.test(mirror) && !warnedHttpMirrors.has(mirror)) {
    warnedHttpMirrors.add(mirror);
    progress(
      `warning: the mirror ${printable(mirror, 200)} is plain http: anyone on the path can change what it serves; only the sha256 pinned in versions.ts or recorded in casebook.lock.json protects the download. Use https if the mirror offers it`,
    );
  }
  const asset = releaseAsset(name, wanted, opts.platform ?? hostPlatform(), mirror);
  await mkdir(cacheDir, { recursive: true });
  await sweepStaleStaging(cacheDir, progress);
  const lockFile = opts.lockFile ?? defaultLockFile(env);
  const key = lockKey(name, wanted, asset.fileName);
  const pin = await pinnedSha256(lockFile, key);
  // Staged inside the cache folder so the final rename stays on one filesystem (atomic); removed
  // whatever happens, so a failed or mismatching download leaves nothing behind.
  const staging = await mkdtemp(join(cacheDir, `.download-${name}-`));
  try {
    const downloaded = join(staging, asset.fileName);
    const { sha256 } = await downloadVerified({
      url: asset.url,
      checksumUrl: asset.checksumUrl,
      dest: downloaded,
      label: `${name} ${wanted}`,
      onProgress: progress,
      ...(pin ? { pinned: { sha256: pin.sha256, refuse: (what: string, actual: string) => pinMismatch(key, what, actual, pin) } } : {}),
    });
    const stagedDir = join(staging, 'version');
    await mkdir(stagedDir);
    const stagedBinary = join(stagedDir, name);
    if (asset.format === 'tar.gz') {
      await tar
        .x({ file: downloaded, cwd: stagedDir, filter: (p) => p.replace(/^\.\//, '') === asset.binaryName, strict: true })
        .catch((err: unknown) => {
          // A refused entry (absolute or escaping link), a decompression bomb, a damaged archive:
          // the release file is wrong, which is a prerequisite problem, not a harness failure.
          throw new PrerequisiteError(
            `${asset.url} could not be unpacked safely: ${printable((err as Error).message, 200)}; nothing was installed`,
            'check the --mirror / CASEBOOK_MIRROR server (it must serve the release files as published), or put the tool on PATH',
            { cause: err },
          );
        });
      await access(stagedBinary).catch(() => {
        throw new PrerequisiteError(
          `${asset.url} does not contain ${asset.binaryName} at its root`,
          'check the version, or put the tool on PATH',
        );
      });
    } else {
      await rename(downloaded, stagedBinary);
    }
    // Verified: only now may it become executable. chmod follows symlinks, so it must be a
    // regular file of ours (node-tar's strict mode refuses links before this, too).
    if (!(await lstat(stagedBinary)).isFile()) {
      throw new PrerequisiteError(
        `${asset.url}: ${asset.binaryName} is not a regular file; nothing was installed`,
        'check the --mirror / CASEBOOK_MIRROR server, or put the tool on PATH',
      );
    }
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
        await rename(stagedDir, target.dir).catch((again: unknown) => {
          throw again instanceof Error ? again : err;
        });
      }
    }
    if (!pin) {
      await recordSha256(lockFile, key, sha256);
      progress(`${name} ${wanted}: sha256 recorded in ${lockFile}; commit it so a later download must match`);
    }
    progress(`${name} ${wanted}: installed in ${target.dir}`);
    return { name, version: wanted, path: target.binary, source: 'download' };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes `.download-*` staging folders older than STALE_STAGING_MS (a live download's is younger). */
export async function sweepStaleStaging(
  cacheDir: string,
  progress: ProgressFn = () => {},
  now = Date.now(),
  dryRun = false,
): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith('.download-'))) {
    const path = join(cacheDir, entry);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    // A download in progress keeps writing its file: the newest of the folder and its files counts.
    const inside = await readdir(path).catch(() => [] as string[]);
    const times = await Promise.all(
      inside.map((f) =>
        stat(join(path, f)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (now - Math.max(info.mtimeMs, ...times) < STALE_STAGING_MS) continue;
    if (!dryRun) await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  if (removed.length > 0) progress(`${dryRun ? 'would remove' : 'removed'} ${removed.length} abandoned download folder(s) in ${cacheDir}`);
  return removed;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
