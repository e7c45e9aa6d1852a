import { runCli } from './run-cli.ts';

/** The process edge: the only place that exits (bin/casebook.mjs imports this). */

// `casebook list | head -1`: the reader has what it wanted and closed the pipe. That is a normal
// end, not a crash with a stack trace; other write errors still surface.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
});
process.exitCode = code;
// Pooled sockets or timers left by a dependency must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
