import { loadedPackages } from './trace-packages.ts';

/**
 * Runs the front-door commands one after another in this process, with the package tracer on,
 * and prints as JSON which packages had been loaded once each command finished (cumulative, in
 * the order given). Run as a script: `node harness/cli/import-graph/front-door.ts`; the root is
 * CASEBOOK_ROOT as for the CLI. The tracer is imported first, so it sees every later import.
 */
export const FRONT_DOOR: readonly (readonly string[])[] = [['--help'], ['list', '--json'], ['plan', '--all', '--json'], ['validate']];

const { runCli } = await import('../run-cli.ts');
const report: { args: string[]; exitCode: number; stderr: string; packages: string[] }[] = [];
for (const args of FRONT_DOOR) {
  let stderr = '';
  const exitCode = await runCli(args, {
    out: () => {},
    err: (s) => {
      stderr += s;
    },
    env: process.env,
  });
  report.push({ args: [...args], exitCode, stderr, packages: loadedPackages() });
}
process.stdout.write(`${JSON.stringify(report)}\n`);
