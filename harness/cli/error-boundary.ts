import { CommanderError } from 'commander';
import { CasebookError, PrerequisiteError, ScenarioLoadError, UsageError } from '../model/errors.ts';
import type { CliIo } from './cli-io.ts';

/**
 * The one place errors become exit codes:
 *   usage, prerequisites, invalid scenarios -> 2; anything else that escapes a command -> 1.
 * Commander has already printed its own usage errors; everything else is printed here with the
 * hint that says what to do next.
 */
export function exitCodeForError(e: unknown, io: Pick<CliIo, 'err' | 'env'>): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    // commander.help: no command given (help printed); the rest: bad options or arguments.
    return 2;
  }
  const usage = e instanceof UsageError || e instanceof PrerequisiteError || e instanceof ScenarioLoadError;
  if (e instanceof CasebookError) {
    io.err(`error: ${e.message}\n`);
    if (e.hint) io.err(`hint: ${e.hint}\n`);
    return usage ? 2 : 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`error: ${err.message}\n`);
  if (io.env['CASEBOOK_DEBUG']) io.err(`${err.stack ?? ''}\n`);
  else io.err('hint: this is a harness failure, not a verdict; run again with CASEBOOK_DEBUG=1 for the stack trace\n');
  return 1;
}
