import type { PhaseResult, RunResults } from '../model/results.ts';

/**
 * 0 when every verdict is as expected, 1 otherwise. A phase skipped with a reason (not selected by
 * --phase, or a version expectation says it does not apply) neither passes nor fails the run; it
 * is listed as skipped. A run in which no phase ran at all proves nothing: 1.
 */
export function exitCodeFor(results: RunResults): 0 | 1 {
  const ran = results.results.filter((r) => !isSkipped(r));
  if (ran.length === 0) return 1;
  return results.results.every((r) => r.asExpected || isSkipped(r)) ? 0 : 1;
}

/**
 * Neither passes nor fails the run: skipped with a reason, or `not-judged` at config level (the
 * phase's difference lies in the data plane; never counted as expected, listed with its reason).
 */
export function isSkipped(r: PhaseResult): boolean {
  return (r.verdict === 'skipped' || r.verdict === 'not-judged') && r.skippedReason !== undefined && r.skippedReason !== '';
}

export function isUnexpected(r: PhaseResult): boolean {
  return !r.asExpected && !isSkipped(r);
}
