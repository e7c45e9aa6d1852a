import type { PhaseResult, PhaseTimings, RunResults, RunStep } from '../model/results.ts';
import { seconds } from './describe-phase.ts';

/**
 * Per-step timings of a run (results.json `steps` and each phase's `timings`), as the console,
 * matrix.md and report.html show them: so users' CI reports carry the real figures of their runs.
 */

/** "apply 1.2s → settled 3.4s, evidence 0.5s" (with "mesh config 0.8s, " first when the phase changed it). */
export function phaseTimingText(t: PhaseTimings): string {
  return `${t.meshMs !== undefined ? `mesh config ${seconds(t.meshMs)}, ` : ''}apply ${seconds(t.applyMs)} → settled ${seconds(t.settleMs)}, evidence ${seconds(t.evidenceMs)}`;
}

/** "install (istio 1.30.3): 75.0s, installed (profile casebook-demo, config 1a2b)" */
export function stepText(s: RunStep): string {
  return `${s.step}${s.istio ? ` (istio ${s.istio})` : ''}: ${seconds(s.durationMs)}${s.detail ? `, ${s.detail}` : ''}`;
}

/** Total time per kind of step, then the phases' apply and settle time: the run's time budget in one line. */
export function timingSummary(results: RunResults): string | undefined {
  const steps = results.steps ?? [];
  const timed = results.results.filter((r): r is PhaseResult & { timings: PhaseTimings } => r.timings !== undefined);
  if (steps.length === 0 && timed.length === 0) return undefined;
  const byStep = new Map<string, number>();
  for (const s of steps) byStep.set(s.step, (byStep.get(s.step) ?? 0) + s.durationMs);
  const sum = (f: (t: PhaseTimings) => number) => timed.reduce((n, r) => n + f(r.timings), 0);
  const parts = [...byStep].map(([k, ms]) => `${k} ${seconds(ms)}`);
  if (timed.length > 0) {
    parts.push(
      `${timed.length} phase(s): apply ${seconds(sum((t) => (t.meshMs ?? 0) + t.applyMs))}, settle ${seconds(sum((t) => t.settleMs))}, evidence ${seconds(sum((t) => t.evidenceMs))}`,
    );
  }
  return `timings: ${parts.join('; ')}`;
}

/** The rows of the timings tables: steps first, then every phase that ran with its timings. */
export function timingRows(results: RunResults): { what: string; istio: string; seconds: string; detail: string }[] {
  const rows: { what: string; istio: string; seconds: string; detail: string }[] = (results.steps ?? []).map((s) => ({
    what: s.step,
    istio: s.istio ?? '',
    seconds: seconds(s.durationMs),
    detail: s.detail ?? '',
  }));
  for (const r of results.results) {
    if (!r.timings) continue;
    rows.push({ what: `${r.scenario} › ${r.phase}`, istio: r.istio, seconds: seconds(r.durationMs), detail: phaseTimingText(r.timings) });
  }
  return rows;
}
