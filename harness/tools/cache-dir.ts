import { UsageError } from '../model/errors.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_CACHE_HOME/istio-casebook, else ~/.cache/istio-casebook (XDG Base Directory spec). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env['XDG_CACHE_HOME'];
  // The spec says relative values are invalid and must be ignored.
  const base = xdg && xdg.startsWith('/') ? xdg : join(home, '.cache');
  return join(base, 'istio-casebook');
}

/** <cache>/<tool>/<version>/<binary>: one folder per verified version. */
export function toolCachePath(cacheDir: string, tool: string, version: string): { dir: string; binary: string } {
  // Defence in depth (callers check versions): a path segment must stay one segment inside the cache.
  for (const part of [tool, version]) {
    if (part === '' || part === '.' || part === '..' || /[/\\]/.test(part)) {
      throw new UsageError(`"${part}" cannot name a folder in the tool cache`, 'give a plain tool name and version, such as kind 0.32.0');
    }
  }
  const dir = join(cacheDir, tool, version);
  return { dir, binary: join(dir, tool) };
}
