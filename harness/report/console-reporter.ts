import type { PhaseResult, RunResults, RunStep } from '../model/results.ts';
import { phaseLabel, probeDetails, seconds, verdictLine } from './describe-phase.ts';
import { isSkipped, isUnexpected } from './exit-code.ts';
import { matrixConsoleLine } from './matrix.ts';
import { phaseTimingText, stepText, timingSummary } from './timings.ts';
import { terminalSafe } from './terminal-text.ts';

export type ConsoleReporter = {
  phaseEnded(r: PhaseResult): void;
  /** A timed step outside the phases (cluster, install, mesh config, setup wave). */
  stepEnded(s: RunStep): void;
  /** Writes the closing block and returns its last line, the one-line summary. */
  runEnded(results: RunResults): string;
};

/**
 * Like cilium's connectivity test: one short line per phase, full output only when a verdict was
 * not the expected one, and a summary line at the end.
 */
export function createConsoleReporter(sink: { write(s: string): unknown }): ConsoleReporter {
  // Scenario, phase and check text reach the terminal only through the one sanitizer.
  const out = { write: (s: string) => sink.write(terminalSafe(s)) };
  // A run without its prerequisites skips every phase for one long reason: say it once.
  let lastSkipReason: string | undefined;
  return {
    phaseEnded(r) {
      const skipped = isSkipped(r);
      if (skipped) {
        const reason = r.skippedReason === lastSkipReason ? 'same reason as above' : r.skippedReason;
        out.write(`  - ${phaseLabel(r)}: skipped (${reason})\n`);
      } else if (!isUnexpected(r)) {
        out.write(`  ✓ ${phaseLabel(r)}: ${r.verdict} (${seconds(r.durationMs)}${r.timings ? `: ${phaseTimingText(r.timings)}` : ''})\n`);
      } else {
        out.write(
          `  ✗ ${phaseLabel(r)}: ${verdictLine(r)} (${seconds(r.durationMs)}${r.timings ? `: ${phaseTimingText(r.timings)}` : ''})\n`,
        );
        for (const line of probeDetails(r)) out.write(`      ${line}\n`);
      }
      lastSkipReason = skipped ? r.skippedReason : undefined;
    },
    stepEnded(s) {
      out.write(`  · ${stepText(s)}\n`);
    },
    runEnded(results) {
      const unexpected = results.results.filter(isUnexpected);
      if (unexpected.length > 0) {
        out.write('\nNot as expected:\n');
        for (const [scenario, phases] of groupBy(unexpected, (r) => `${r.scenario} (istio ${r.istio})`)) {
          out.write(`  ${scenario}\n`);
          for (const r of phases) out.write(`    ${r.phase}: ${verdictLine(r)}\n`);
        }
      }
      const matrix = matrixConsoleLine(results);
      const timings = timingSummary(results);
      const line = summaryLine(results);
      out.write(`\n${matrix ? `${matrix}\n` : ''}${timings ? `${timings}\n` : ''}${line}\n`);
      return line;
    },
  };
}

/**
 * "2/14 phases not as expected (istio 1.30.3: a/broken, b/fixed); 1 skipped"
 * or "14/14 phases as expected (istio 1.30.3)".
 */
export function summaryLine(results: RunResults): string {
  const all = results.results;
  const skipped = all.filter(isSkipped).length;
  const ran = all.length - skipped;
  const unexpected = all.filter(isUnexpected);
  const skippedPart = skipped > 0 ? `; ${skipped} skipped` : '';
  if (ran === 0) return `no phase ran (${all.length} skipped): nothing was verified`;
  if (unexpected.length === 0) return `${ran}/${ran} phases as expected (istio ${results.istioVersions.join(', ')})${skippedPart}`;
  const byVersion = [...groupBy(unexpected, (r) => r.istio)].map(
    ([v, rs]) => `istio ${v}: ${rs.map((r) => `${r.scenario}/${r.phase}`).join(', ')}`,
  );
  return `${unexpected.length}/${ran} phases not as expected (${byVersion.join('; ')})${skippedPart}`;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k) ?? [];
    list.push(item);
    m.set(k, list);
  }
  return m;
}
