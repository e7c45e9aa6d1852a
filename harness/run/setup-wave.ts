import type { ScenarioDefinition } from '../model/scenario.ts';
import type { ScenarioDeps } from './scenario-deps.ts';
import { prepareScenario, scenarioNamespaces, type PreparedScenario } from './scenario-runner.ts';

/**
 * Isolation applies to phases, not to setup (as Istio's integration suites and cilium's
 * connectivity test deploy their workloads once): after the install, every scenario still to run
 * is set up at once, so their rollouts (and external containers) overlap instead of coming one
 * after another. Each scenario's mesh-wide policy still waits for its turn (scenario-runner.ts
 * prepareScenario), and its teardown still runs right after its last phase.
 *
 * Left out of the wave, and set up at their turn as before:
 * - a scenario whose mesh sets proxyMetadata: its pods must start under that mesh config;
 * - a scenario with a namespace an earlier wave member already uses (namespaces are the unit of
 *   ownership and teardown).
 */
export function waveMembers(scenarios: readonly ScenarioDefinition[]): {
  members: ScenarioDefinition[];
  left: { id: string; why: string }[];
} {
  const members: ScenarioDefinition[] = [];
  const left: { id: string; why: string }[] = [];
  const taken = new Map<string, string>();
  for (const s of scenarios) {
    if (Object.keys(s.mesh.proxyMetadata ?? {}).length > 0) {
      left.push({ id: s.id, why: 'its pods start under its own proxyMetadata' });
      continue;
    }
    let namespaces: string[];
    try {
      namespaces = [...scenarioNamespaces(s).keys()];
    } catch (e) {
      // Its own setup reports the mistake.
      left.push({ id: s.id, why: (e as Error).message });
      continue;
    }
    const clash = namespaces.find((n) => taken.has(n));
    if (clash) {
      left.push({ id: s.id, why: `namespace ${clash} is also ${taken.get(clash)}'s` });
      continue;
    }
    for (const n of namespaces) taken.set(n, s.id);
    members.push(s);
  }
  return { members, left };
}

export type SetupWaveOptions = { istio: string; runId: string; keep: boolean };

/**
 * The setups of a run, made in one wave and handed out one by one. `prepare` sets up (in
 * parallel) every listed scenario not yet prepared or run; `take` gives a scenario its
 * preparation once (undefined: not in the wave, the runner sets it up itself); `pending` are the
 * preparations never taken (a run stopped early), whose stacks must still be unwound.
 */
export class SetupWave {
  readonly #prepared = new Map<string, PreparedScenario>();
  readonly #seen = new Set<string>();
  readonly #deps: ScenarioDeps;
  readonly #opts: SetupWaveOptions;

  constructor(deps: ScenarioDeps, opts: SetupWaveOptions) {
    this.#deps = deps;
    this.#opts = opts;
  }

  /** Sets up, at once, the wave members among `scenarios` that were neither prepared nor taken. */
  async prepare(scenarios: readonly ScenarioDefinition[]): Promise<{ prepared: string[]; left: { id: string; why: string }[] }> {
    const { members, left } = waveMembers(scenarios.filter((s) => !this.#seen.has(s.id)));
    for (const s of members) this.#seen.add(s.id);
    if (members.length === 0) return { prepared: [], left };
    this.#deps.log(
      `setup wave: ${members.length} scenario(s) at once${left.length ? `; at their turn: ${left.map((l) => `${l.id} (${l.why})`).join(', ')}` : ''}`,
    );
    const out = await Promise.all(members.map(async (s) => [s.id, await prepareScenario(s, this.#deps, this.#opts)] as const));
    for (const [id, p] of out) this.#prepared.set(id, p);
    return { prepared: members.map((s) => s.id), left };
  }

  take(id: string): PreparedScenario | undefined {
    this.#seen.add(id);
    const p = this.#prepared.get(id);
    this.#prepared.delete(id);
    return p;
  }

  pending(): PreparedScenario[] {
    return [...this.#prepared.values()];
  }
}
