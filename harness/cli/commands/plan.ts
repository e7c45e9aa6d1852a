import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../model/errors.ts';
import { line, type CliIo } from '../cli-io.ts';

type PlanOptions = { all: boolean; istio?: string; json: boolean };

/** `casebook plan <id…|--all> [--istio v] [--json]`: what a run would do, without a cluster. */
export function registerPlanCommand(program: Command, io: CliIo, root: () => string): Command {
  return program
    .command('plan')
    .description(
      'show what a run would do, without a cluster: kind config, Istio install, namespaces, per phase the objects, probes and checks',
    )
    .argument('[ids...]', 'scenario ids (see `casebook list`)')
    .option('--all', 'every registered scenario', false)
    .option('--istio <versions>', 'Istio versions, comma-separated (default: the pinned default)')
    .option('--json', 'print the plan as JSON (rendered Kubernetes objects included)', false)
    .action(async (ids: string[], opts: PlanOptions) => {
      if (ids.length === 0 && !opts.all)
        throw new UsageError('name the scenarios to plan, or --all', 'e.g. `npx casebook plan --all` or `npx casebook plan <id>`');
      if (ids.length > 0 && opts.all)
        throw new UsageError('give scenario ids or --all, not both', 'drop --all to plan only the named scenarios');
      const [{ planManifestPaths, planRun }, { loadValidScenarios }, { parseIstioVersions }, { renderPlan }, { selectScenarios }] =
        await Promise.all([
          import('../../run/plan.ts'),
          import('../load-valid.ts'),
          import('../parse-options.ts'),
          import('../render-plan.ts'),
          import('../../load/select-scenarios.ts'),
        ]);
      const istioVersions = parseIstioVersions(opts.istio);
      const base = root();
      const scenarios = selectScenarios(await loadValidScenarios(base), ids);
      const manifests = new Map<string, string>();
      for (const path of planManifestPaths(scenarios)) manifests.set(path, await readFile(join(base, path), 'utf8'));
      const plan = planRun({ scenarios, istioVersions, manifests });
      if (opts.json) line(io, JSON.stringify((await import('../../run/mask-secrets.ts')).maskSecretData(plan), null, 2));
      else for (const l of renderPlan(plan)) line(io, l);
    });
}
