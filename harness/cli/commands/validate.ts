import type { Command } from 'commander';
import { layout } from '../../load/casebook-root.ts';
import { line, type CliIo } from '../cli-io.ts';

/** `casebook validate`: registry + cross-references + every manifest against the published schemas; exit 1 on any problem. */
export function registerValidateCommand(program: Command, io: CliIo, root: () => string): Command {
  return program
    .command('validate')
    .description('check the scenario registry and every manifest against the Kubernetes and Istio schemas (unknown fields are errors)')
    .action(async () => {
      const [{ schemaSources }, { validateCasebook }, { formatProblem }] = await Promise.all([
        import('../../validate/schema-lookup.ts'),
        import('../../validate/validate-casebook.ts'),
        import('../../validate/validate-manifest.ts'),
      ]);
      const v = await validateCasebook(root());
      for (const p of v.loadProblems) line(io, `${p.location}: ${p.message}`);
      for (const p of v.manifestProblems) line(io, formatProblem(p));
      const sources = schemaSources();
      const what = `${v.scenarios.length} scenario(s) in ${layout.registry}, ${v.manifestFiles} manifest file(s)`;
      const total = v.loadProblems.length + v.manifestProblems.length;
      if (total > 0) {
        line(io, `✗ ${total} problem(s) in ${what}`);
        io.setExitCode(1);
        return;
      }
      line(io, `✓ ${what}: no problems (schemas: ${sources.kubernetes}, ${sources.istio})`);
    });
}
