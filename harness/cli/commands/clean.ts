import type { Command } from 'commander';
import type { CleanReport } from '../../external/clean-leftovers.ts';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../external/labels.ts';
import { InfrastructureError } from '../../model/errors.ts';

/**
 * `casebook clean [--dry-run]`: removes what earlier runs left behind (after a crash, a kill -9,
 * or --keep): containers and networks labelled as ours, and the kind clusters we named
 * `casebook…` that a casebook run recorded creating and no live run holds. Nothing without our
 * label or that record is touched.
 */
export function registerCleanCommand(program: Command, out: (line: string) => void = (l) => console.log(l)): Command {
  return program
    .command('clean')
    .description(
      `remove leftovers of earlier runs: containers and networks labelled ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}, kind clusters a casebook run created and no live run uses`,
    )
    .option('--dry-run', 'list what would be removed, remove nothing', false)
    .option('--include-active', 'also remove resources of runs whose process is still alive on this host', false)
    .action(async (opts: { dryRun: boolean; includeActive: boolean }) => {
      const [{ cleanLeftovers }, { dockerRuntime }] = await Promise.all([
        import('../../external/clean-leftovers.ts'),
        import('../../external/docker-runtime.ts'),
      ]);
      const client = await dockerRuntime();
      const report = await cleanLeftovers({ docker: client.container.dockerode, dryRun: opts.dryRun, includeActive: opts.includeActive });
      for (const line of renderCleanReport(report)) out(line);
      // Downloads interrupted by Ctrl-C leave their staging folders in the tool cache.
      const [{ sweepStaleStaging }, { defaultCacheDir }] = await Promise.all([
        import('../../tools/resolve-tool.ts'),
        import('../../tools/cache-dir.ts'),
      ]);
      for (const path of await sweepStaleStaging(defaultCacheDir(), undefined, Date.now(), opts.dryRun)) {
        out(`${opts.dryRun ? 'would remove' : 'removed'} abandoned download folder ${path}`);
      }
      const kindFailed = report.kindClusters.filter((k) => k.action === 'failed' || k.action === 'kind-missing');
      if (report.failed.length > 0 || kindFailed.length > 0) {
        throw new InfrastructureError(
          `casebook clean left ${report.failed.length + kindFailed.length} item(s) behind (see above)`,
          'fix the cause shown above and run `casebook clean` again',
        );
      }
    });
}

export function renderCleanReport(r: CleanReport): string[] {
  const verb = r.dryRun ? 'would remove' : 'removed';
  const lines: string[] = [];
  for (const x of r.removed) lines.push(`${verb} ${x.type} ${x.name} (run ${x.runId || '?'}${x.role ? `, ${x.role}` : ''})`);
  for (const f of r.failed) lines.push(`could not remove ${f.resource.type} ${f.resource.name}: ${f.error}`);
  for (const a of r.active) {
    lines.push(`left ${a.type} ${a.name} alone: run ${a.runId} is still going (pid ${a.ownerPid}); stop it, or use --include-active`);
  }
  for (const k of r.kindClusters) {
    const nodes = k.nodes.join(', ');
    if (k.action === 'deleted') lines.push(`deleted kind cluster ${k.name} (${nodes})`);
    else if (k.action === 'would-delete') lines.push(`would delete kind cluster ${k.name} (${nodes})`);
    else lines.push(`kind cluster ${k.name} (${nodes}) not deleted: ${k.detail}`);
  }
  const clusters = r.kindClusters.filter((k) => k.action === 'deleted' || k.action === 'would-delete').length;
  lines.push(
    `${r.dryRun ? 'dry run: ' : ''}${r.removed.length} container(s)/network(s) ${r.dryRun ? 'would be removed' : 'removed'}, ${clusters} kind cluster(s) ${r.dryRun ? 'would be ' : ''}deleted` +
      (r.failed.length + r.active.length > 0 ? `, ${r.failed.length} failed, ${r.active.length} left to running runs` : '') +
      (r.removed.length + r.kindClusters.length + r.failed.length + r.active.length === 0 ? ': nothing of ours was left' : ''),
  );
  return lines;
}
