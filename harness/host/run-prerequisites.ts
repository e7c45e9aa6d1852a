import { PrerequisiteError } from '../model/errors.ts';
import { execaRunner, type CommandRunner, type ProgressFn } from '../tools/command-runner.ts';
import type { ToolName } from '../tools/platform.ts';
import { resolveTool, type ResolvedTool, type ResolveToolOptions } from '../tools/resolve-tool.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from '../tools/versions.ts';

export type PrerequisiteCheck = { what: string; ok: boolean; detail: string };

export type PrerequisiteInput = {
  cluster: 'kind' | 'existing';
  istio: string;
  /** Existing clusters need istioctl only when the harness may install Istio there. */
  manageIstio: boolean;
  mirror?: string;
  nodeImage?: string;
  onProgress?: ProgressFn;
  runner?: CommandRunner;
  resolve?: (name: ToolName, version: string, opts: ResolveToolOptions) => Promise<ResolvedTool>;
};

export type PrerequisiteReport = { checks: PrerequisiteCheck[]; kindPath?: string; istioctlPath?: string };

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim().length > 0)
      .at(-1) ?? ''
  );
}

/**
 * Everything a real run needs before it touches a cluster, each checked (not assumed) and all
 * reported at once: the Docker engine, kind and istioctl at their versions (PATH, cache, or a
 * verified download), the pinned kind node image (present or pullable).
 */
export async function checkRunPrerequisites(input: PrerequisiteInput): Promise<PrerequisiteReport> {
  const runner = input.runner ?? execaRunner;
  const resolve = input.resolve ?? resolveTool;
  const progress = input.onProgress ?? (() => {});
  const checks: PrerequisiteCheck[] = [];
  const report: PrerequisiteReport = { checks };
  const tool = async (name: ToolName, version: string) => {
    try {
      const t = await resolve(name, version, { mirror: input.mirror, onProgress: progress, runner });
      checks.push({ what: `${name} ${version}`, ok: true, detail: `${t.path} (${t.source})` });
      return t.path;
    } catch (e) {
      checks.push({ what: `${name} ${version}`, ok: false, detail: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  };

  if (input.cluster === 'kind') {
    let dockerOk = false;
    try {
      const info = await runner('docker', ['info', '--format', '{{.ServerVersion}}']);
      dockerOk = info.exitCode === 0;
      checks.push({
        what: 'Docker engine',
        ok: dockerOk,
        detail: dockerOk ? `server ${info.stdout.trim()}` : `docker info failed (exit ${info.exitCode}): ${lastLine(info.stderr)}`,
      });
    } catch (e) {
      checks.push({
        what: 'Docker engine',
        ok: false,
        detail: `the docker CLI could not be run: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    const kindPath = await tool('kind', KIND_VERSION);
    if (kindPath) report.kindPath = kindPath;
    const image = input.nodeImage ?? KIND_NODE_IMAGE;
    if (!dockerOk) {
      checks.push({ what: `kind node image ${image}`, ok: false, detail: 'not checked: Docker is not reachable' });
    } else if ((await runner('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).exitCode === 0) {
      checks.push({ what: `kind node image ${image}`, ok: true, detail: 'present' });
    } else {
      progress(`pulling ${image}`);
      const pull = await runner('docker', ['pull', image], { onLine: (l) => progress(l) });
      checks.push({
        what: `kind node image ${image}`,
        ok: pull.exitCode === 0,
        detail:
          pull.exitCode === 0
            ? 'pulled'
            : `not present, and docker pull failed (exit ${pull.exitCode}): ${lastLine(pull.stderr) || lastLine(pull.stdout)}`,
      });
    }
  }
  if (input.cluster === 'kind' || input.manageIstio) {
    const istioctlPath = await tool('istioctl', input.istio);
    if (istioctlPath) report.istioctlPath = istioctlPath;
  }
  return report;
}

/** A PrerequisiteError that also names the missing pieces, for one-line summaries. */
export class MissingPrerequisitesError extends PrerequisiteError {
  override name = 'MissingPrerequisitesError';
  readonly missing: readonly string[];
  constructor(missing: readonly PrerequisiteCheck[]) {
    super(
      `missing for a real run:\n${missing.map((c) => `  - ${c.what}: ${c.detail}`).join('\n')}`,
      'start Docker (or dockerd), allow downloads from github.com and docker.io (or pass --mirror, or pull the images beforehand), then run again',
    );
    this.missing = missing.map((c) => c.what);
  }
}

/** MissingPrerequisitesError listing every missing piece, or nothing when all are there. */
export function assertPrerequisites(report: PrerequisiteReport): void {
  const missing = report.checks.filter((c) => !c.ok);
  if (missing.length > 0) throw new MissingPrerequisitesError(missing);
}
