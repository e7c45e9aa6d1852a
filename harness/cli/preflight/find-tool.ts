import { access, constants } from 'node:fs/promises';
import which from 'which';
import { defaultCacheDir, toolCachePath } from '../../tools/cache-dir.ts';
import { execaRunner, type CommandRunner } from '../../tools/command-runner.ts';
import { bareVersion } from '../../tools/release-asset.ts';
import type { ToolName } from '../../tools/platform.ts';
import { reportedVersion } from '../../tools/tool-version.ts';

export type ToolLookup =
  | { found: true; source: 'path' | 'cache'; path: string; version: string }
  | { found: false; onPath?: { path: string; version: string | undefined }; cachePath: string };

/**
 * Where resolveTool (harness/tools) would find a tool WITHOUT downloading it: on PATH when its
 * version matches, else in the cache. `casebook doctor` reports; it never downloads.
 */
export async function findTool(
  name: ToolName,
  version: string,
  opts: { env?: NodeJS.ProcessEnv; runner?: CommandRunner } = {},
): Promise<ToolLookup> {
  const env = opts.env ?? process.env;
  const wanted = bareVersion(version);
  const onPath = await which(name, { nothrow: true, path: env['PATH'] ?? '' });
  let pathVersion: string | undefined;
  if (onPath) {
    pathVersion = await reportedVersion(name, onPath, opts.runner ?? execaRunner);
    if (pathVersion === wanted) return { found: true, source: 'path', path: onPath, version: wanted };
  }
  const cached = toolCachePath(defaultCacheDir(env), name, wanted).binary;
  try {
    await access(cached, constants.X_OK);
    return { found: true, source: 'cache', path: cached, version: wanted };
  } catch {
    return { found: false, ...(onPath ? { onPath: { path: onPath, version: pathVersion } } : {}), cachePath: cached };
  }
}
