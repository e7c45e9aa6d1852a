import type { CliIo } from './cli-io.ts';
import { exitCodeForError } from './error-boundary.ts';
import { buildProgram, type ProgramDeps } from './program.ts';

/** Runs one command line and returns its exit code (0 as expected, 1 not / harness failure, 2 usage or prerequisites). */
export async function runCli(argv: readonly string[], io: Omit<CliIo, 'setExitCode'>, deps: ProgramDeps = {}): Promise<number> {
  let code = 0;
  const program = buildProgram({ ...io, setExitCode: (c) => { code = c; } }, deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeForError(e, io);
  }
}
