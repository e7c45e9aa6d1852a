import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../model/results.ts';
import { compareResults, gateProblems } from '../report/compare-results.ts';
import { readResultsFile } from '../report/read-results.ts';
import { renderComparisonText } from '../report/render-comparison.ts';
import { writeComparison } from '../report/write-results.ts';
import { line, type CliIo } from './cli-io.ts';

/**
 * `casebook run --baseline <results.json>`, after the run: compares the run's results.json with
 * the baseline, prints the changes, writes comparison.json and comparison.md into the report
 * folder, and returns 1 when a verdict that was as expected in the baseline no longer is.
 * A run that wrote no results, or lacks results the baseline had, fails the gate too: an upgrade
 * gate must not pass on a run that verified nothing.
 */
export async function gateOnBaseline(baseline: RunResults, reportDir: string, io: Pick<CliIo, 'out'>): Promise<0 | 1 | undefined> {
  if (!existsSync(join(reportDir, 'results.json'))) {
    line(io, `baseline: the run wrote no ${join(reportDir, 'results.json')}; nothing was compared, so the gate fails`);
    return 1;
  }
  const comparison = compareResults(baseline, await readResultsFile(reportDir, "this run's results"));
  line(io);
  for (const l of renderComparisonText(comparison)) line(io, l);
  const written = await writeComparison(reportDir, comparison);
  line(io, `comparison: ${written.json}, ${written.markdown}`);
  const problems = gateProblems(comparison);
  for (const p of problems) line(io, `gate fails: ${p}`);
  return comparison.regressions > 0 || problems.length > 0 ? 1 : 0;
}
