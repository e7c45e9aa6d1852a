import semver from 'semver';
import { UsageError } from '../model/errors.ts';
import type { PhaseResult, RunResults } from '../model/results.ts';
import { isSkipped, isUnexpected } from './exit-code.ts';
import { verdictState as state, type VerdictState } from './verdict-state.ts';

export type PhaseChange =
  /** Verdict, expected verdict or as-expected differ. A regression went from as expected to not as expected. */
  | { kind: 'changed'; scenario: string; phase: string; before: VerdictState; after: VerdictState; regression: boolean }
  | { kind: 'phase-added'; scenario: string; phase: string; after: VerdictState }
  | { kind: 'phase-removed'; scenario: string; phase: string; before: VerdictState }
  | { kind: 'scenario-added'; scenario: string; phases: string[] }
  | { kind: 'scenario-removed'; scenario: string; phases: string[] };

/** The baseline's results on one Istio version against the current run's on one (the same, or the one upgraded to). */
export type VersionComparison = { baseline: string; current: string; compared: number; changes: PhaseChange[] };

export type Comparison = {
  baseline: { runId: string; istioVersions: string[] };
  current: { runId: string; istioVersions: string[] };
  versions: VersionComparison[];
  /** Baseline versions no current version was paired with. */
  notCompared: string[];
  regressions: number;
};

/**
 * Baseline vs current, per (scenario, phase), for each pairing of Istio versions (pairVersions).
 * Each side is judged against its own version's expectation, so a failure that is documented to
 * stop reproducing in the newer version is a change but not a regression.
 */
export function compareResults(baseline: RunResults, current: RunResults): Comparison {
  assertSameLevel(baseline, current);
  const pairs = pairVersions(versionsOf(baseline), versionsOf(current));
  const versions = pairs.map(({ baseline: b, current: c }) =>
    compareVersion(
      baseline.results.filter((r) => r.istio === b),
      current.results.filter((r) => r.istio === c),
      b,
      c,
    ),
  );
  const paired = new Set(pairs.map((p) => p.baseline));
  return {
    baseline: { runId: baseline.runId, istioVersions: versionsOf(baseline) },
    current: { runId: current.runId, istioVersions: versionsOf(current) },
    versions,
    notCompared: versionsOf(baseline).filter((v) => !paired.has(v)),
    regressions: versions.flatMap((v) => v.changes).filter((c) => c.kind === 'changed' && c.regression).length,
  };
}

/**
 * Why an upgrade gate must not pass even without a regression: it would otherwise pass on a run
 * that verified nothing. Removed scenarios or phases (the current run has no result for something
 * the baseline had), baseline versions nothing was compared with, and a comparison of zero phases.
 * `allowRemoved` accepts removals (a scenario deleted on purpose); comparing nothing always fails.
 */
export function gateProblems(c: Comparison, opts: { allowRemoved?: boolean } = {}): string[] {
  const problems: string[] = [];
  const compared = c.versions.reduce((n, v) => n + v.compared, 0);
  if (compared === 0) problems.push('no phase was compared: the current run has no results matching the baseline');
  if (!opts.allowRemoved) {
    for (const v of c.versions) {
      for (const ch of v.changes) {
        if (ch.kind === 'scenario-removed')
          problems.push(
            `istio ${v.current}: scenario ${ch.scenario} has no results in the current run (baseline had ${ch.phases.join(', ')})`,
          );
        if (ch.kind === 'phase-removed') problems.push(`istio ${v.current}: ${ch.scenario}/${ch.phase} has no result in the current run`);
      }
    }
    for (const v of c.notCompared) problems.push(`baseline istio ${v} was not compared with anything in the current run`);
  }
  return problems;
}

/**
 * Each current version is compared with the same baseline version when the baseline has it;
 * otherwise with the newest baseline version not newer than it (the version being upgraded
 * from: baseline 1.30.3 vs current 1.31.0), otherwise with the oldest baseline version.
 */
export function pairVersions(baseline: readonly string[], current: readonly string[]): { baseline: string; current: string }[] {
  const pairs: { baseline: string; current: string }[] = [];
  for (const c of current) {
    const b = baseline.includes(c) ? c : upgradedFrom(baseline, c);
    if (b !== undefined) pairs.push({ baseline: b, current: c });
  }
  return pairs;
}

function upgradedFrom(baseline: readonly string[], current: string): string | undefined {
  const valid = baseline.filter((v) => semver.valid(v) !== null).sort(semver.compare);
  if (semver.valid(current) === null) return valid[0] ?? baseline[0];
  return valid.filter((v) => semver.lte(v, current)).at(-1) ?? valid[0] ?? baseline[0];
}

function versionsOf(run: RunResults): string[] {
  return [...new Set([...run.istioVersions, ...run.results.map((r) => r.istio)])];
}

function compareVersion(before: readonly PhaseResult[], after: readonly PhaseResult[], b: string, c: string): VersionComparison {
  const beforeBy = byScenario(before);
  const afterBy = byScenario(after);
  const changes: PhaseChange[] = [];
  let compared = 0;
  for (const scenario of union([...beforeBy.keys()], [...afterBy.keys()])) {
    const was = beforeBy.get(scenario);
    const now = afterBy.get(scenario);
    if (!was) {
      changes.push({ kind: 'scenario-added', scenario, phases: [...now!.keys()] });
      continue;
    }
    if (!now) {
      changes.push({ kind: 'scenario-removed', scenario, phases: [...was.keys()] });
      continue;
    }
    for (const phase of union([...was.keys()], [...now.keys()])) {
      const x = was.get(phase);
      const y = now.get(phase);
      if (!x) {
        changes.push({ kind: 'phase-added', scenario, phase, after: state(y!) });
        continue;
      }
      if (!y) {
        changes.push({ kind: 'phase-removed', scenario, phase, before: state(x) });
        continue;
      }
      compared++;
      const [s, t] = [state(x), state(y)];
      if (s.verdict === t.verdict && s.expected === t.expected && s.asExpected === t.asExpected && s.skipped === t.skipped) continue;
      changes.push({ kind: 'changed', scenario, phase, before: s, after: t, regression: isRegression(x, y) });
    }
  }
  return { baseline: b, current: c, compared, changes };
}

/** As expected in the baseline (and it ran there), not as expected now. A phase skipped now is not judged. */
export function isRegression(before: PhaseResult, after: PhaseResult): boolean {
  return before.asExpected && !isSkipped(before) && isUnexpected(after);
}

function byScenario(results: readonly PhaseResult[]): Map<string, Map<string, PhaseResult>> {
  const m = new Map<string, Map<string, PhaseResult>>();
  for (const r of results) {
    const phases = m.get(r.scenario) ?? new Map<string, PhaseResult>();
    phases.set(r.phase, r);
    m.set(r.scenario, phases);
  }
  return m;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * A config-level verdict (Istio's generated config) and a runtime one (real packets) answer
 * different questions: comparing them as if they were the same would hide a regression or invent
 * one. Refused, exit 2.
 */
export function assertSameLevel(baseline: RunResults, current: RunResults): void {
  const b = baseline.level ?? 'runtime';
  const c = current.level ?? 'runtime';
  if (b !== c) {
    throw new UsageError(
      `the baseline is a ${b}-level run and the current one a ${c}-level run: their verdicts cannot be compared`,
      `compare runs of the same level: a --level ${c} baseline for this run (or a --level ${b} run for this baseline)`,
    );
  }
}
