import { join } from 'node:path';
import { UsageError } from '../model/errors.ts';
import { line, type CliIo } from './cli-io.ts';

type ConfigCliOptions = {
  istio?: string;
  phase?: string;
  reportDir?: string;
  cluster: string;
  keep: boolean;
  shard?: string;
  kubeconfig?: string;
  context?: string;
};

/**
 * `casebook run --level config`: no Docker, no cluster, so none of the runtime pre-flight; the
 * options that only mean something on a cluster are refused rather than ignored.
 */
export async function runConfigLevelCommand(
  ids: string[],
  opts: ConfigCliOptions,
  io: CliIo,
  base: string,
): Promise<{ exitCode: number; reportDir?: string }> {
  const [
    { loadValidScenarios },
    { parseIstioVersions, parseList },
    { selectScenarios },
    { runConfigLevel },
    { defaultConfigVersions, readReleases },
  ] = await Promise.all([
    import('./load-valid.ts'),
    import('./parse-options.ts'),
    import('../load/select-scenarios.ts'),
    import('../config-level/run-config-level.ts'),
    import('../config-level/releases.ts'),
  ]);
  const clusterOnly = [
    opts.cluster !== 'kind' && '--cluster',
    opts.keep && '--keep',
    opts.shard && '--shard',
    opts.kubeconfig && '--kubeconfig',
    opts.context && '--context',
  ].filter(Boolean);
  if (clusterOnly.length > 0)
    throw new UsageError(
      `${clusterOnly.join(', ')} mean(s) nothing at --level config (no cluster is used)`,
      'drop them, or use --level runtime',
    );
  const istio = opts.istio === undefined ? defaultConfigVersions(readReleases(base)) : parseIstioVersions(opts.istio);
  const phases = parseList(opts.phase);
  if (phases && phases.length === 0)
    throw new UsageError(`--phase ${JSON.stringify(opts.phase)} names no phase`, 'give phase names separated by commas, or drop --phase');
  const scenarios = selectScenarios(await loadValidScenarios(base), ids);
  line(
    io,
    `config level: ${scenarios.length} scenario(s) on istio ${istio.join(', ')}: Istio's generated config and Envoy's matching of it, not packets (a runtime run proves those)`,
  );
  const outcome = await runConfigLevel({
    root: base,
    scenarios,
    istio,
    phases,
    reportRoot: opts.reportDir ?? join(base, 'reports'),
    env: io.env,
    out: { write: (s: string) => io.out(s) },
  });
  return { exitCode: outcome.exitCode, reportDir: outcome.reportDir };
}
