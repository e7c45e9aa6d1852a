import type { Command } from 'commander';
import { line, type CliIo } from '../cli-io.ts';

/**
 * `casebook compare <baseline> <current> [--json]`: what changed between two runs, e.g. last
 * week's run on Istio 1.30.3 and today's on 1.31.0. Exit 0 when no verdict went from as expected
 * to not as expected, 1 when one did or when the current run lacks results the baseline had
 * (unless --allow-removed) or nothing was compared, 2 when a file is missing or not a results.json.
 */
export function registerCompareCommand(program: Command, io: Pick<CliIo, 'out' | 'setExitCode'>): Command {
  return program
    .command('compare')
    .description(
      "compare two runs' results.json (baseline, current): verdict changes per scenario, phase and Istio version; exit 1 when a verdict that was as expected no longer is",
    )
    .argument('<baseline>', 'results.json of the earlier run (or its report folder)')
    .argument('<current>', 'results.json of the run to judge (or its report folder)')
    .option('--json', 'print the comparison as JSON', false)
    .option('--allow-removed', 'do not fail when the current run lacks scenarios, phases or versions the baseline had', false)
    .action(async (baselinePath: string, currentPath: string, opts: { json: boolean; allowRemoved: boolean }) => {
      const { compareResults, gateProblems } = await import('../../report/compare-results.ts');
      const { readResultsFile } = await import('../../report/read-results.ts');
      const { renderComparisonText } = await import('../../report/render-comparison.ts');
      const baseline = await readResultsFile(baselinePath, 'baseline');
      const current = await readResultsFile(currentPath, 'current');
      const comparison = compareResults(baseline, current);
      const problems = gateProblems(comparison, { allowRemoved: opts.allowRemoved });
      if (opts.json) line(io, JSON.stringify({ ...comparison, gateProblems: problems }, null, 2));
      else for (const l of [...renderComparisonText(comparison), ...problems.map((p) => `gate fails: ${p}`)]) line(io, l);
      io.setExitCode(comparison.regressions > 0 || problems.length > 0 ? 1 : 0);
    });
}
