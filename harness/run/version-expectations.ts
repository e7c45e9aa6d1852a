import semver from 'semver';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { defaultExpectedVerdict, phaseIntent, type Verdict } from '../model/verdict.ts';

export type Expectation = { expected: Verdict; because?: string };

/**
 * What `phase` should show on Istio `version`: the first of the scenario's version expectations
 * for that phase whose semver range holds, else the phase's default (reproduced / fixed / passed).
 * Pre-releases count (`--istio 1.31.0-rc.0` matches '>=1.25'), coerced versions are not guessed.
 */
export function expectationFor(scenario: Pick<ScenarioDefinition, 'versions'>, phase: string, version: string): Expectation {
  for (const v of scenario.versions ?? []) {
    if (v.phase !== phase) continue;
    if (semver.satisfies(version, v.istio, { includePrerelease: true })) return { expected: v.verdict, because: v.because };
  }
  return { expected: defaultExpectedVerdict(phaseIntent(phase)) };
}
