import type { Command } from 'commander';
import type { ScenarioDefinition } from '../../model/scenario.ts';
import { citation } from '../../model/write-up.ts';
import { line, type CliIo } from '../cli-io.ts';

/** `casebook list [--json]`: the registered scenarios. */
export function registerListCommand(program: Command, io: CliIo, root: () => string): Command {
  return program
    .command('list')
    .description('list the registered scenarios (id, title, source, isolation, phases)')
    .option('--json', 'print JSON', false)
    .action(async (opts: { json: boolean }) => {
      const { loadScenarios } = await import('../../load/load-scenarios.ts');
      const scenarios = await loadScenarios({ root: root() });
      if (opts.json) {
        line(io, JSON.stringify(scenarios.map(summary), null, 2));
        return;
      }
      for (const s of scenarios) {
        line(io, `${s.id}  [${s.isolation}]`);
        line(io, `  ${s.title}`);
        line(io, `  phases: ${Object.keys(s.phases).join(', ')}`);
        line(io, `  source: ${citation(s.source)}`);
      }
      line(io, `${scenarios.length} scenario(s)`);
    });
}

export function summary(s: ScenarioDefinition) {
  return {
    id: s.id,
    title: s.title,
    source: s.source,
    isolation: s.isolation,
    phases: Object.keys(s.phases),
    mesh: s.mesh,
    workloads: s.workloads.map((w) => ({ name: w.name, namespace: w.namespace })),
    probes: Object.keys(s.probes),
  };
}
