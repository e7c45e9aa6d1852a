import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { casebookRoot } from '../load/casebook-root.ts';
import { ChecksumError, PrerequisiteError } from '../model/errors.ts';
import { PINNED_TOOL_SHA256 } from './versions.ts';

/**
 * Trust on first use for tool releases. The published sha256 comes from the same server as
 * the binary, so it only proves the download is intact. What pins a release is a sha256 recorded
 * outside that server: PINNED_TOOL_SHA256 in versions.ts when a maintainer could verify the
 * published value, otherwise `casebook.lock.json` at the repository root (beside package.json),
 * written on the first verified download and meant to be committed. Every later download of that
 * release must match it, whatever the mirror publishes.
 *
 * `CASEBOOK_LOCK_FILE` points at another file (tests; a read-only checkout).
 */
export const LOCK_FILE_NAME = 'casebook.lock.json';

export type ToolLockFile = {
  comment?: string;
  /** "<tool>/<version>/<release file name>" → sha256 (hex). */
  sha256: Record<string, string>;
};

export function defaultLockFile(env: NodeJS.ProcessEnv = process.env): string {
  return env['CASEBOOK_LOCK_FILE'] || join(casebookRoot(env), LOCK_FILE_NAME);
}

export function lockKey(tool: string, version: string, fileName: string): string {
  return `${tool}/${version}/${fileName}`;
}

async function readLock(path: string): Promise<ToolLockFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { sha256: {} };
    throw new PrerequisiteError(`cannot read the tool lock file ${path}: ${(e as Error).message}`, 'check its permissions');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new PrerequisiteError(
      `the tool lock file ${path} is not JSON: ${(e as Error).message}`,
      `restore it from version control (git checkout -- ${LOCK_FILE_NAME}), or delete it to record the sums again`,
    );
  }
  const sums = (parsed as Partial<ToolLockFile> | null)?.sha256;
  if (
    typeof sums !== 'object' ||
    sums === null ||
    Array.isArray(sums) ||
    Object.values(sums).some((v) => typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v))
  ) {
    throw new PrerequisiteError(
      `the tool lock file ${path} has no "sha256" map of tool release → sha256 hex`,
      `restore it from version control, or delete it to record the sums again`,
    );
  }
  return parsed as ToolLockFile;
}

/** The sha256 a release must have, and where that comes from; undefined when nothing pins it yet. */
export async function pinnedSha256(lockFile: string, key: string): Promise<{ sha256: string; source: string } | undefined> {
  const pinned = PINNED_TOOL_SHA256[key];
  if (pinned) return { sha256: pinned, source: 'harness/tools/versions.ts' };
  const locked = (await readLock(lockFile)).sha256[key];
  return locked ? { sha256: locked, source: lockFile } : undefined;
}

/** The refusal when a release's sha256 differs from the pinned one: what differs, and both ways out. */
export function pinMismatch(key: string, what: string, actual: string, pin: { sha256: string; source: string }): ChecksumError {
  const fromLock = pin.source !== 'harness/tools/versions.ts';
  return new ChecksumError(
    `${key}: ${what} has sha256 ${actual}, but ${pin.source} pins ${pin.sha256}; nothing was installed`,
    fromLock
      ? `the mirror or the release changed since the first verified download. If you know why (a re-published release) and trust it, delete the "${key}" entry from ${pin.source} and run again; otherwise check the --mirror / CASEBOOK_MIRROR server`
      : 'the mirror serves a different file than the release the casebook pins: check the --mirror / CASEBOOK_MIRROR server',
  );
}

/** Records `key` → sha256 (atomically: a reader sees the old file or the new one, never half). */
export async function recordSha256(lockFile: string, key: string, sha256: string): Promise<void> {
  const lock = await readLock(lockFile);
  const sums = { ...lock.sha256, [key]: sha256 };
  const sorted = Object.fromEntries(
    Object.keys(sums)
      .sort()
      .map((k) => [k, sums[k]!]),
  );
  const next: ToolLockFile = {
    comment:
      'sha256 of each tool release the casebook downloaded, recorded on its first verified download; commit this file so every later download must match (see README, "Set-up")',
    sha256: sorted,
  };
  await mkdir(dirname(lockFile), { recursive: true });
  const tmp = `${lockFile}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, lockFile);
}
