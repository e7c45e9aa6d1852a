import type { CommandRunner, ProgressFn } from './command-runner.ts';

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
  runner?: CommandRunner;
};

export type ResolvedTool = { name: ToolName; version: string; path: string; source: 'path' | 'cache' | 'download' };

/** PATH when its version matches, else the cache, else a verified download into the cache. */
export async function resolveTool(name: ToolName, version: string, opts: ResolveToolOptions = {}): Promise<ResolvedTool> {
  throw new Error(`resolveTool(${name}, ${version}, ${Object.keys(opts).join()}): being implemented by E1`);
}
