import type { Command } from 'commander';
import { UsageError } from '../../model/errors.ts';
import type { CliIo } from '../cli-io.ts';

type WorkshopOptions = { workspace?: string; level: string; istio?: string };

/** `casebook workshop <id>`: an interactive session for one learner (harness/workshop/session.ts). */
export function registerWorkshopCommand(
  program: Command,
  io: CliIo,
  root: () => string,
  input: () => NodeJS.ReadableStream = () => process.stdin,
): Command {
  return program
    .command('workshop')
    .description(
      'an interactive session for one learner: the symptom, the broken state, a workspace to fix, hints, evidence, and check (config level; needs Go)',
    )
    .argument('<id>', 'scenario id (one with workshop data)')
    .option('--workspace <dir>', 'the folder with your manifests and the session state (default: ./workshop-<id>); give it again to resume')
    .option('--level <level>', "config (Istio's own code, no cluster) or runtime (not built yet)", 'config')
    .option('--istio <version>', 'Istio version (default: the newest config-level build)')
    .addHelpText(
      'after',
      '\nReads commands line by line from stdin (a letter or a word, then Enter), so it works in a plain pipe.\nPrints a one-line WORKSHOP-SUMMARY JSON at the end (hints used, tries, final verdict); also written to <workspace>/summary.json.',
    )
    .action(async (id: string, opts: WorkshopOptions) => {
      if (opts.level === 'runtime') {
        throw new UsageError(
          'workshop --level runtime is not built yet (a session on a live cluster: apply, probe, revert)',
          'use --level config (the default): no cluster is needed',
        );
      }
      if (opts.level !== 'config') throw new UsageError(`--level ${opts.level} is not a level`, 'use config');
      const [{ loadValidScenarios }, { selectScenarios }, { runWorkshop }] = await Promise.all([
        import('../load-valid.ts'),
        import('../../load/select-scenarios.ts'),
        import('../../workshop/session.ts'),
      ]);
      const base = root();
      const [scenario] = selectScenarios(await loadValidScenarios(base), [id]);
      await runWorkshop({
        root: base,
        scenario: scenario!,
        workspace: opts.workspace,
        istio: opts.istio,
        env: io.env,
        input: input(),
        out: (t) => io.out(t),
      });
    });
}
