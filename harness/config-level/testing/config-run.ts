import { casebookRoot } from '../../load/casebook-root.ts';
import { loadValidScenarios } from '../../cli/load-valid.ts';
import type { ScenarioDefinition } from '../../model/scenario.ts';
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
  const lines: string[] = [];
  const outcome = await runConfigLevel({
    root,
    scenarios,
    istio,
    ...(phases ? { phases } : {}),
    out: {
      write: (s: string) => {
        lines.push(s);
        if (s.startsWith('config level: build')) process.stderr.write(s);
      },
    },
  });
  return outcome;
}

/** A copy of a scenario whose phase applies other manifests (e.g. a fixed phase without its fix). */
export function withPhaseApplying(s: ScenarioDefinition, phase: string, apply: string[]): ScenarioDefinition {
  const p = s.phases[phase as keyof typeof s.phases];
  if (!p) throw new Error(`${s.id} has no phase ${phase}`);
  return { ...s, phases: { ...s.phases, [phase]: { ...p, apply } } };
}
