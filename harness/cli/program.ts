import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { casebookRoot } from '../load/casebook-root.ts';
import type { CliIo } from './cli-io.ts';
import { registerCheckCommand } from './commands/check.ts';
import { registerCleanCommand } from './commands/clean.ts';
import { registerCompareCommand } from './commands/compare.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerExplainCommand } from './commands/explain.ts';
import { registerListCommand } from './commands/list.ts';
import { registerPlanCommand } from './commands/plan.ts';
import { registerProbeCommand } from './commands/probe.ts';
import { registerRunCommand, type StartRun } from './commands/run.ts';
import { registerSetupCommand } from './commands/setup.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { registerWorkshopCommand } from './commands/workshop.ts';

export type ProgramDeps = {
  /** The runner; default: harness/host/start-run.ts, loaded only when `run` gets past its pre-flight. */
  startRun?: () => Promise<StartRun>;
};

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The `casebook` command tree. Nothing here exits the process: main.ts does, via the error boundary.
 *
 * Every command is registered on every start, so a command module's top level imports only
 * commander, types (`import type`) and small constants; what its action needs is loaded inside
 * the action with `await import()`. A static import of, say, the Kubernetes client would make
 * `casebook --help` load it too (0.9 s of CPU). harness/cli/import-graph/front-door.test.ts
 * guards this for --help, list, plan and validate.
 */
export function buildProgram(io: CliIo, deps: ProgramDeps = {}): Command {
  const program = new Command()
    .name('casebook')
    .description('Reproduce documented Istio failures, and their fixes, on real Envoy proxies (kind + Istio).')
    .version(VERSION)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)')
    // Before any .command(): subcommands copy this setting when they are created.
    .exitOverride();
  const root = () => casebookRoot(io.env);
  const out = (l: string) => io.out(`${l}\n`);

  registerListCommand(program, io, root);
  registerPlanCommand(program, io, root);
  registerValidateCommand(program, io, root);
  registerDoctorCommand(program, io);
  registerRunCommand(program, io, root, deps.startRun ?? loadStartRun);
  registerProbeCommand(program, { out, setExitCode: (c) => io.setExitCode(c) });
  registerSetupCommand(program, { out, env: io.env });
  registerCleanCommand(program, out);
  registerCompareCommand(program, io);
  registerExplainCommand(program, io, root);
  registerCheckCommand(program, io, root);
  registerWorkshopCommand(program, io, root);
  return program;
}

async function loadStartRun(): Promise<StartRun> {
  // Loaded lazily: list/plan/validate must not pay for (or depend on) the runner's code.
  const mod = await import('../host/start-run.ts');
  return mod.startRun;
}
