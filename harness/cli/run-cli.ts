import { terminalSafe } from '../report/terminal-text.ts';
import type { CliIo } from './cli-io.ts';
import { exitCodeForError } from './error-boundary.ts';
import { buildProgram, type ProgramDeps } from './program.ts';

/** Runs one command line and returns its exit code (0 as expected, 1 not / harness failure, 2 usage or prerequisites). */
export async function runCli(argv: readonly string[], rawIo: Omit<CliIo, 'setExitCode'>, deps: ProgramDeps = {}): Promise<number> {
  // Every line any command prints goes through the one terminal sanitizer: a response body,
  // a mirror's text or a compared file's fields never reach the terminal with raw escapes.
  const io = { ...rawIo, out: (s: string) => rawIo.out(terminalSafe(s)), err: (s: string) => rawIo.err(terminalSafe(s)) };
  let code = 0;
  const program = buildProgram(
    {
      ...io,
      setExitCode: (c) => {
        code = c;
      },
    },
    deps,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeForError(e, io);
  }
}
