import type { PhaseResult } from '../model/results.ts';
import type { Verdict } from '../model/verdict.ts';
import { isSkipped } from './exit-code.ts';

/** What a run recorded for one phase on one Istio version. `skipped`: skipped with a reason (neither passes nor fails). */
export type VerdictState = { verdict: Verdict; expected: Verdict; asExpected: boolean; skipped: boolean };

export function verdictState(r: PhaseResult): VerdictState {
  return { verdict: r.verdict, expected: r.expected, asExpected: r.asExpected, skipped: isSkipped(r) };
}

/**
 * `reproduced`, or `not-reproduced (expected reproduced)` when the verdict is not the one
 * expected on that version; `emphasis` wraps the unexpected verdict (`**` in Markdown).
 */
export function verdictText(s: VerdictState, emphasis = ''): string {
  if (s.skipped) return s.verdict === 'not-judged' ? 'not judged' : 'skipped';
  if (!s.asExpected) return `${emphasis}${s.verdict}${emphasis} (expected ${s.expected})`;
  return s.verdict;
}
