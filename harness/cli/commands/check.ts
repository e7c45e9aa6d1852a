import type { Command } from 'commander';
import { InfrastructureError, PrerequisiteError, UsageError } from '../../model/errors.ts';
import { line, type CliIo } from '../cli-io.ts';

type CheckOptions = { istio?: string; level: string; json?: boolean };

/**
 * `casebook check <id> <file-or-folder>`: the learner's own manifests in place of the broken
 * phase's, judged on the outcome the scenario states (and its controls). Exit 0 accepted,
 * 1 rejected, 2 the input itself is wrong (or the check could not run: never a verdict).
 */
export function registerCheckCommand(program: Command, io: CliIo, root: () => string): Command {
  return program
    .command('check')
    .description(
      'judge your own fix (YAML manifests) of a scenario: the outcome any fix must reach, and what a careless fix would break (config level; needs Go)',
    )
    .argument('<id>', 'scenario id (see `casebook list`; scenarios with workshop data)')
    .argument('<file-or-folder>', "your manifests: a YAML file or a folder of them (they replace the broken phase's)")
    .option('--istio <version>', 'Istio version (default: the newest config-level build)')
    .option('--level <level>', "config (Istio's own code, seconds) or runtime (a cluster: not built yet)", 'config')
    .option('--json', 'the judgement as JSON')
    .addHelpText(
      'after',
      "\nExit codes: 0 accepted, 1 rejected (which outcome or control failed, and why), 2 the input is wrong (invalid YAML, an object Istio's validation rejects) or the check could not run.",
    )
    .action(async (id: string, path: string, opts: CheckOptions) => {
      const code = await runCheck(id, path, opts, io, root());
      io.setExitCode(code);
    });
}

export async function runCheck(id: string, path: string, opts: CheckOptions, io: CliIo, base: string): Promise<number> {
  if (opts.level === 'runtime') {
    throw new UsageError(
      'check --level runtime is not built yet: judging a fix on a live cluster (apply, probe, revert) is future work',
      "use --level config (the default): Istio's own code judges what the proxies get; `casebook run <id> --keep` gives a cluster to try a fix by hand",
    );
  }
  if (opts.level !== 'config') throw new UsageError(`--level ${opts.level} is not a level`, 'use config (or runtime, not built yet)');
  const [{ loadValidScenarios }, { selectScenarios }, { readFixInput }, { checkFix, workshopOf }, { judgementLines }] = await Promise.all([
    import('../load-valid.ts'),
    import('../../load/select-scenarios.ts'),
    import('../../workshop/fix-input.ts'),
    import('../../workshop/check-fix.ts'),
    import('../../workshop/render.ts'),
  ]);
  const [scenario] = selectScenarios(await loadValidScenarios(base), [id]);
  workshopOf(scenario!);
  const input = readFixInput(path, scenario!.certificates ?? []);
  let j;
  try {
    j = await checkFix({
      root: base,
      scenario: scenario!,
      input,
      istio: opts.istio,
      env: io.env,
      log: (l) => io.err(`${l}\n`),
    });
  } catch (e) {
    // A harness failure must not read as "rejected" (exit 1).
    if (e instanceof InfrastructureError) throw new PrerequisiteError(`${e.message} (not a verdict on your fix)`, e.hint);
    throw e;
  }
  if (opts.json) {
    const { output, ...rest } = j;
    void output;
    line(io, JSON.stringify({ ...rest, files: input.files }, null, 2));
  } else {
    for (const l of judgementLines(j, { files: input.files })) line(io, l);
  }
  return j.accepted ? 0 : 1;
}
