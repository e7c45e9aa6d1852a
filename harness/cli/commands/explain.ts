import type { Command } from 'commander';
import { UsageError } from '../../model/errors.ts';
import { line, type CliIo } from '../cli-io.ts';

type ExplainOptions = { phase?: string; istio?: string };

/**
 * `casebook explain <id> [--phase p] [--istio v]`: the path each probe's call takes through the
 * proxies in each phase, computed by Istio's own code (config level), with the listener rows,
 * iptables lines and analyzer messages that decide it.
 */
export function registerExplainCommand(program: Command, io: CliIo, root: () => string): Command {
  return program
    .command('explain')
    .description("show, per probe, the path its call takes through the proxies in each phase (Istio's own code, no cluster; needs Go)")
    .argument('<id>', 'scenario id (see `casebook list`)')
    .option('--phase <names>', 'only these phases, comma-separated (default: every phase, broken first)')
    .option('--istio <version>', 'Istio version (default: the newest config-level build)')
    .action(async (id: string, opts: ExplainOptions) => {
      const [{ loadValidScenarios }, { parseList }, { selectScenarios }, { runConfigLevel }, { buildFor, readReleases }, { explainLines }] =
        await Promise.all([
          import('../load-valid.ts'),
          import('../parse-options.ts'),
          import('../../load/select-scenarios.ts'),
          import('../../config-level/run-config-level.ts'),
          import('../../config-level/releases.ts'),
          import('../../config-level/explain.ts'),
        ]);
      const base = root();
      const [scenario] = selectScenarios(await loadValidScenarios(base), [id]);
      const record = readReleases(base);
      const istio = opts.istio ?? record.builds.at(-1)!.standsFor.split(' ')[0]!;
      if (istio.includes(',')) throw new UsageError('explain takes one Istio version', 'give one, e.g. --istio 1.31.0');
      const build = buildFor(istio, record);
      const all = Object.keys(scenario!.phases);
      const phases = parseList(opts.phase) ?? all;
      const unknown = phases.filter((p) => !all.includes(p));
      if (phases.length === 0 || unknown.length > 0) {
        throw new UsageError(`${scenario!.id} has no phase ${unknown.join(', ') || '(none named)'}`, `its phases: ${all.join(', ')}`);
      }
      // Every phase is computed with its config expectations' probes; phases without any get
      // the scenario's probes too, so there is a path to show.
      const withProbes = {
        ...scenario!,
        phases: Object.fromEntries(
          Object.entries(scenario!.phases).map(([n, ph]) => [
            n,
            {
              ...ph!,
              config: { ...ph!.config, expect: { ...explainable(scenario!), ...ph!.config?.expect } },
            },
          ]),
        ),
      } as typeof scenario;
      const quiet = {
        write: (s: string) => {
          if (s.startsWith('config level: build')) io.out(s);
        },
      };
      const outcome = await runConfigLevel({ root: base, scenarios: [withProbes!], istio: [istio], phases, env: io.env, out: quiet });
      for (const l of explainLines(scenario!, istio, build.label, phases, outcome.outputs.get(istio)!)) line(io, l);
    });
}

/** Every probe that makes a call or reads listeners, with a check that always holds: explain wants the observation, not a verdict. */
function explainable(s: {
  probes: Record<string, { kind: string; what?: string }>;
}): Record<string, { name: string; evaluate: () => { ok: boolean; message: string } }> {
  const out: Record<string, { name: string; evaluate: () => { ok: boolean; message: string } }> = {};
  for (const [name, spec] of Object.entries(s.probes)) {
    if (spec.kind === 'envoy' && spec.what !== 'listeners') continue;
    out[name] = { name: 'observe()', evaluate: () => ({ ok: true, message: 'observed' }) };
  }
  return out;
}
