import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { UsageError } from '../model/errors.ts';

/**
 * Which build of Istio's code answers the config-level questions for a requested version.
 * istio-sim/releases.json is the record: Istio tags releases without a `v`, so the Go module proxy
 * cannot resolve a tag, and it serves istio.io/istio only at a few commits. A build is therefore
 * labelled by its branch and commit (release-1.31@eed52ebb66ad), never by a release it is not,
 * and stands for the runtime versions of its minor.
 */
export type ConfigBuild = {
  label: string;
  minor: string;
  branch: string;
  commit: string;
  /** istio.io/istio pseudo-version. */
  version: string;
  committed: string;
  standsFor: string;
  /** ISTIO_VERSION the release's proxies report (proxy metadata). */
  proxyVersion: string;
  /** go.mod of this build, relative to istio-sim/ (-modfile). */
  modfile: string;
  /** Dependencies replaced because the proxy does not serve the versions the commit names. */
  replaced: string;
};

export type ReleaseRecord = {
  resolved: string;
  tags: Record<string, { commit: string; served: boolean }>;
  builds: ConfigBuild[];
};

export function simDir(root: string): string {
  return join(root, 'istio-sim');
}

export function readReleases(root: string): ReleaseRecord {
  return JSON.parse(readFileSync(join(simDir(root), 'releases.json'), 'utf8')) as ReleaseRecord;
}

/** The build for a requested Istio version: the one of the same minor. */
export function buildFor(istio: string, record: ReleaseRecord): ConfigBuild {
  const v = semver.coerce(istio);
  const minor = v ? `${v.major}.${v.minor}` : istio;
  const build = record.builds.find((b) => b.minor === minor);
  if (!build) {
    throw new UsageError(
      `no config-level build of Istio ${minor}: the Go module proxy serves istio.io/istio only at ${record.builds.map((b) => b.label).join(', ')} (istio-sim/releases.json)`,
      `use --istio ${record.builds.map((b) => b.minor + '.x').join(' or ')} with --level config, or --level runtime for ${istio}`,
    );
  }
  return build;
}

/** The config level's default: one build per minor on record (the newest commit of each supported minor the proxy serves). */
export function defaultConfigVersions(record: ReleaseRecord): string[] {
  return record.builds.map((b) => b.standsFor.split(' ')[0]!);
}
