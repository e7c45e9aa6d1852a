import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { PrerequisiteError, UsageError } from '../../model/errors.ts';
import type { RunOptions, RunOutcome } from '../../model/run-options.ts';
import type { ScenarioDefinition } from '../../model/scenario.ts';
import { DEFAULT_ISTIO_VERSIONS } from '../../tools/versions.ts';
import { line, type CliIo } from '../cli-io.ts';
import type { closestIds as closestIdsFn } from '../../load/select-scenarios.ts';

type RunCliOptions = {
  istio?: string;
  cluster: 'kind' | 'existing';
  kubeconfig?: string;
  context?: string;
  keep: boolean;
  phase?: string;
  shard?: string;
  mirror?: string;
  manageIstio: boolean;
  reportDir?: string;
  baseline?: string;
  allowMeshWide?: boolean;
  level: 'runtime' | 'config';
  concurrency?: string;
  parallelVersions?: boolean;
  clusterName?: string;
};

/** kind's own rule for cluster names (lower-case letters, digits, '.', '-'), short enough for its container names. */
const KIND_CLUSTER_NAME = /^[a-z0-9][a-z0-9.-]{0,39}$/;

/** The runner's entry (harness/host/start-run.ts), behind the interface the model fixes. */
export type StartRun = (opts: RunOptions) => Promise<RunOutcome>;

/**
 * `casebook run [ids…]`: the pre-flight happens here, before anything is touched: options, the
 * whole registry and every manifest (exit 2 with all problems), then Docker for kind or the
 * kubeconfig for an existing cluster (exit 2 within seconds). Only then the runner starts.
 */
export function registerRunCommand(program: Command, io: CliIo, root: () => string, startRun: () => Promise<StartRun>): Command {
  return program
    .command('run')
    .description(
      'reproduce the scenarios on kind (or an existing cluster) + Istio and write reports; exit 0 when every verdict is as expected, 1 when not, 2 on usage or prerequisites',
    )
    .argument('[ids...]', 'scenario ids (default: every registered scenario)')
    .option('--istio <versions>', `Istio versions, comma-separated (default ${DEFAULT_ISTIO_VERSIONS.join(',')})`)
    .addOption(
      new Option('--cluster <provider>', 'create-or-reuse a kind cluster, or use an existing one')
        .choices(['kind', 'existing'])
        .default('kind'),
    )
    .option(
      '--cluster-name <name>',
      'name of the kind cluster to create or reuse (default casebook); a second run beside a running one needs its own name',
    )
    .option('--kubeconfig <file>', 'kubeconfig of the existing cluster (default $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'context in that kubeconfig (default: its current context)')
    .option('--keep', 'leave cluster, namespaces and containers in place and print how to clean up', false)
    .option('--phase <names>', 'only these phases, comma-separated (others are reported as skipped)')
    .option(
      '--shard <x/y>',
      'run shard x of y (Playwright sharding): each shard runs whole Istio versions, so y is at most the number of --istio versions',
    )
    .option('--mirror <url>', 'base URL replacing https://github.com for tool downloads (air-gapped CI)')
    .option('--manage-istio', 'allow installing/uninstalling Istio on an existing cluster', false)
    .option(
      '--allow-mesh-wide',
      'on an existing cluster, allow scenarios that change the mesh or the shared ingress gateway for every workload (mesh and gateway isolation)',
      false,
    )
    .option('--report-dir <dir>', "folder for the run's report folder (default reports/)")
    .addOption(
      new Option(
        '--level <level>',
        "runtime: real proxies on a cluster; config: Istio's own code at a release commit, offline (no Docker, no cluster; needs Go)",
      )
        .choices(['runtime', 'config'])
        .default('runtime'),
    )
    .option(
      '--concurrency <n>',
      'scenarios run at most n at once (default 3): namespace-isolated ones beside each other and beside the gateway ones, which run one after another; mesh scenarios always run alone; 1 runs every scenario in sequence',
    )
    .option(
      '--parallel-versions',
      'each Istio version on its own kind cluster, all at once (names <cluster>-istio-<version>, ingress host ports +100 per version); needs 2 cores and 3 GiB free memory per cluster. Default: one cluster, versions in sequence',
      false,
    )
    .option(
      '--baseline <results.json>',
      "compare with an earlier run's results (writes comparison.json/.md); exit 1 when a verdict as expected there is not now",
    )
    .action(async (ids: string[], opts: RunCliOptions) => {
      // Read first: a wrong baseline path is a usage error before anything is started.
      const [{ readResultsFile }, { gateOnBaseline }] = await Promise.all([
        import('../../report/read-results.ts'),
        import('../baseline-gate.ts'),
      ]);
      const baseline = opts.baseline === undefined ? undefined : await readResultsFile(opts.baseline, 'baseline');
      if (opts.level === 'config') {
        const { runConfigLevelCommand } = await import('../config-level-command.ts');
        const outcome = await runConfigLevelCommand(ids, opts, io, root());
        const gate = baseline && outcome.reportDir ? await gateOnBaseline(baseline, outcome.reportDir, io) : undefined;
        if (outcome.reportDir) line(io, `reports: ${outcome.reportDir}`);
        io.setExitCode(Math.max(outcome.exitCode, gate ?? 0));
        return;
      }
      const runOptions = await preflight(ids, opts, io, root());
      line(
        io,
        `pre-flight ok: ${runOptions.ids.length || 'all'} scenario(s), istio ${runOptions.istio.join(', ')}, cluster ${runOptions.cluster}`,
      );
      const outcome = await (await startRun())(runOptions);
      const gate = baseline && outcome.exitCode !== 2 ? await gateOnBaseline(baseline, outcome.reportDir, io) : undefined;
      line(io, `reports: ${outcome.reportDir}`);
      io.setExitCode(Math.max(outcome.exitCode, gate ?? 0));
    });
}

export async function preflight(ids: string[], opts: RunCliOptions, io: Pick<CliIo, 'env'>, base: string): Promise<RunOptions> {
  const [
    { loadValidScenarios },
    { parseIstioVersions, parseList, parsePositiveInt, parseShard, parseUrl },
    { notReachable, pingDocker },
    { kubeconfigPath },
    { closestIds, selectScenarios },
  ] = await Promise.all([
    import('../load-valid.ts'),
    import('../parse-options.ts'),
    import('../../external/docker-ping.ts'),
    import('../preflight/kubeconfig-path.ts'),
    import('../../load/select-scenarios.ts'),
  ]);
  const istio = parseIstioVersions(opts.istio);
  const shard = parseShard(opts.shard);
  const mirror = parseUrl(opts.mirror, '--mirror');
  const phases = parseList(opts.phase);
  const concurrency = parsePositiveInt(opts.concurrency, '--concurrency');
  // Playwright shards whole groups of tests; our spec is one file run in order (fullyParallel off),
  // so a group is one Istio version's project. A shard beyond the versions would run nothing.
  const shardTotal = shard ? Number(shard.split('/')[1]) : 1;
  if (shardTotal > istio.length) {
    throw new UsageError(
      `--shard ${shard} splits the run into ${shardTotal} parts, but a shard runs whole Istio versions and there ${istio.length === 1 ? 'is 1' : `are ${istio.length}`} (${istio.join(', ')}): shard ${shardTotal} would run nothing`,
      `use at most --shard x/${istio.length}, give more versions with --istio, or drop --shard`,
    );
  }
  if (opts.parallelVersions && opts.cluster !== 'kind') {
    throw new UsageError(
      '--parallel-versions makes a kind cluster per Istio version; an existing cluster cannot be doubled',
      'drop --parallel-versions, or use --cluster kind',
    );
  }
  if (opts.parallelVersions && istio.length > 1) {
    const { roomForClusters } = await import('../../host/version-clusters.ts');
    const room = roomForClusters(istio.length);
    if (!room.ok)
      throw new PrerequisiteError(
        `--parallel-versions: no room for ${istio.length} clusters: ${room.reason}`,
        'drop --parallel-versions to run the versions one after another on one cluster',
      );
  }
  // `--phase ,` or `--phase ""` names nothing; running every phase instead would be a silent surprise.
  if (phases && phases.length === 0)
    throw new UsageError(
      `--phase ${JSON.stringify(opts.phase)} names no phase`,
      'give phase names separated by commas, e.g. --phase broken,fixed, or drop --phase to run every phase',
    );
  if (opts.clusterName !== undefined) {
    if (opts.cluster !== 'kind')
      throw new UsageError(
        '--cluster-name names the kind cluster; with --cluster existing use --context',
        'drop --cluster-name, or use --cluster kind',
      );
    if (!KIND_CLUSTER_NAME.test(opts.clusterName)) {
      throw new UsageError(
        `--cluster-name "${opts.clusterName}" is not a kind cluster name`,
        'use lower-case letters, digits, "." and "-", at most 40 characters, e.g. --cluster-name casebook-2',
      );
    }
  }
  if (opts.cluster === 'kind' && (opts.kubeconfig || opts.context)) {
    throw new UsageError('--kubeconfig and --context are for --cluster existing', 'add --cluster existing, or drop them to use kind');
  }
  const selected = selectScenarios(await loadValidScenarios(base), ids);
  if (phases) checkPhases(phases, selected, closestIds);
  if (opts.keep && selected.length * istio.length > 1 && selected.some((s) => s.isolation !== 'namespace')) {
    // A kept mesh or gateway scenario would change the scenarios (and versions) run after it.
    const { assertKeepIsSafe, meshWideChanges, planFor } = await import('../../run/mesh-wide.ts');
    assertKeepIsSafe(meshWideChanges(await planFor(base, selected, istio)), {
      keep: true,
      scenarios: selected.length,
      versions: istio.length,
    });
  }

  if (opts.cluster === 'kind') {
    const docker = await pingDocker(io.env);
    if (!docker.ok) {
      throw new PrerequisiteError(
        `${notReachable(docker)}; kind needs it to run the cluster`,
        'start Docker, or use --cluster existing --kubeconfig <file> with a cluster you already have (`npx casebook doctor` checks everything)',
      );
    }
  } else {
    const kc = kubeconfigPath(opts.kubeconfig, io.env);
    if (!existsSync(kc.path)) {
      throw new PrerequisiteError(`kubeconfig ${kc.path} (${kc.from}) does not exist`, 'pass --kubeconfig <file>, or set KUBECONFIG');
    }
    if (!opts.allowMeshWide) {
      // A shared cluster: refuse, listing them, the scenarios that would change other tenants' traffic.
      const { assertMeshWideAllowed, meshWideChanges, planFor } = await import('../../run/mesh-wide.ts');
      assertMeshWideAllowed(meshWideChanges(await planFor(base, selected, istio)), { cluster: opts.cluster, allowMeshWide: false });
    }
  }
  return {
    ids,
    istio,
    cluster: opts.cluster,
    ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}),
    ...(opts.cluster === 'existing' ? { kubeconfig: kubeconfigPath(opts.kubeconfig, io.env).path } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    keep: opts.keep,
    ...(phases ? { phases } : {}),
    ...(shard ? { shard } : {}),
    ...(mirror ? { mirror } : {}),
    manageIstio: opts.manageIstio,
    reportRoot: opts.reportDir ?? join(base, 'reports'),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(opts.parallelVersions && istio.length > 1 ? { parallelVersions: true } : {}),
  };
}

function checkPhases(phases: string[], scenarios: readonly ScenarioDefinition[], closestIds: typeof closestIdsFn): void {
  const known = [...new Set(scenarios.flatMap((s) => Object.keys(s.phases)))];
  const unknown = phases.filter((p) => !known.includes(p));
  if (unknown.length === 0) return;
  const parts = unknown.map((p) => {
    const near = closestIds(p, known);
    return `'${p}'${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
  });
  throw new UsageError(`no selected scenario has phase ${parts.join(', ')}`, `phases of the selected scenarios: ${known.join(', ')}`);
}
