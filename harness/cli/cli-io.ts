/** What commands write to and read from; the process is bound only in main.ts (tests pass their own). */
export type CliIo = {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The exit code the command wants when it returns normally (errors are mapped by the boundary). */
  setExitCode(code: number): void;
};

export function line(io: Pick<CliIo, 'out'>, text = ''): void {
  io.out(`${text}\n`);
}
