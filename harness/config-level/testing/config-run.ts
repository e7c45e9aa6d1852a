import assert from 'node:assert/strict';
import { casebookRoot } from '../../load/casebook-root.ts';
import { loadValidScenarios } from '../../cli/load-valid.ts';
import type { PhaseResult } from '../../model/results.ts';
import type { ScenarioDefinition } from '../../model/scenario.ts';
import { isSkipped } from '../../report/exit-code.ts';
import { defaultConfigVersions, readReleases } from '../releases.ts';
import { runConfigLevel, type ConfigLevelOutcome } from '../run-config-level.ts';

/**
 * For `npm run test:config`: runs the config level for real (builds istio-sim with Go, runs
 * Istio's code) on the given scenarios, quietly, without writing reports.
 */
export const root = casebookRoot();

export async function registry(): Promise<ScenarioDefinition[]> {
  return loadValidScenarios(root);
}

export function defaultVersions(): string[] {
  return defaultConfigVersions(readReleases(root));
}

export async function configRun(
  scenarios: readonly ScenarioDefinition[],
  istio: readonly string[] = defaultVersions(),
  phases?: readonly string[],
): Promise<ConfigLevelOutcome> {
  return runConfigLevel({
    root,
    scenarios,
    istio,
    phases,
    out: {
      // Quiet but for the helper builds, which take minutes the first time.
      write: (s: string) => {
        if (s.startsWith('config level: build')) process.stderr.write(s);
      },
    },
  });
}

/**
 * The judged results (skipped and not-judged left out) of the named phases on every default
 * build, after checking that each selected phase was judged exactly once per build.
 */
export async function judgedOnEveryBuild(scenarios: readonly ScenarioDefinition[], phases: readonly string[]): Promise<PhaseResult[]> {
  const { results } = await configRun(scenarios, defaultVersions(), phases);
  const ran = results.results.filter((r) => !isSkipped(r));
  const selected = scenarios.reduce((n, s) => n + phases.filter((p) => p in s.phases).length, 0);
  assert.equal(ran.length, selected * defaultVersions().length, 'each selected phase judged once per build');
  return ran;
}

/** A copy of a scenario whose phase applies other manifests (e.g. a fixed phase without its fix). */
export function withPhaseApplying(s: ScenarioDefinition, phase: string, apply: string[]): ScenarioDefinition {
  const p = s.phases[phase as keyof typeof s.phases];
  if (!p) throw new Error(`${s.id} has no phase ${phase}`);
  return { ...s, phases: { ...s.phases, [phase]: { ...p, apply } } };
}
