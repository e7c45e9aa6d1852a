import { runCli } from './run-cli.ts';

/** The process edge: the only place that exits (bin/casebook.mjs imports this). */
const code = await runCli(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
});
process.exitCode = code;
// Pooled sockets or timers left by a dependency must not keep a finished command alive.
setTimeout(() => process.exit(code), 2000).unref();
