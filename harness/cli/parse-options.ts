import semver from 'semver';
import { UsageError } from '../model/errors.ts';
import { DEFAULT_ISTIO_VERSIONS } from '../tools/versions.ts';

/** `--istio 1.30.3,1.31.0` → exact versions (pre-releases allowed); default DEFAULT_ISTIO_VERSIONS. */
export function parseIstioVersions(value: string | undefined): string[] {
  if (value === undefined) return [...DEFAULT_ISTIO_VERSIONS];
  const versions = value
    .split(',')
    .map((v) => v.trim().replace(/^v/, ''))
    .filter((v) => v !== '');
  const bad = versions.filter((v) => semver.valid(v) === null);
  if (versions.length === 0 || bad.length > 0) {
    throw new UsageError(
      `--istio "${value}" is not a list of exact Istio versions${bad.length > 0 ? ` (${bad.join(', ')})` : ''}`,
      `e.g. --istio ${DEFAULT_ISTIO_VERSIONS.join(',')} or --istio 1.29.6,1.30.3`,
    );
  }
  return [...new Set(versions)];
}

/** `--shard 2/3` as Playwright takes it. */
export function parseShard(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    throw new UsageError(`--shard "${value}" is not <current>/<total> with 1 <= current <= total`, 'e.g. --shard 1/3');
  }
  return value;
}

/** `--concurrency 3`: a whole number from 1 up. */
export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`${flag} "${value}" is not a whole number of at least 1`, `e.g. ${flag} 2`);
  return n;
}

export function parseList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function parseUrl(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return value.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${flag} "${value}" is not an http(s) URL`, `e.g. ${flag} https://mirror.example.com`);
  }
}
