import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execa } from 'execa';
import { casebookRoot } from '../load/casebook-root.ts';
import type { RunOptions, RunOutcome } from '../model/run-options.ts';
import { OUTCOME_FILE, type RunOutcomeFile } from './results-reporter.ts';
import { encodeRunEnv, newRunId, runEnvFromOptions } from './run-env.ts';

type SignalSource = { on(event: string, fn: () => void): unknown; removeListener(event: string, fn: () => void): unknown };

export type StartRunIo = {
  out: { write(s: string): unknown };
  /** Where Ctrl-C arrives (default: this process). */
  signals: SignalSource;
  /** Playwright's CLI (default: @playwright/test/cli); tests pass a stand-in script. */
  cliPath: string;
  configPath: string;
  root: string;
  runId: string;
};

/**
 * `casebook run` after its pre-flight: spawns `playwright test` with the run described in
 * CASEBOOK_* variables, streams its output line by line (cluster, install and image-load
 * progress included), and returns the exit code the results reporter decided (0 all as
 * expected, 1 some not, 2 prerequisites missing). The child runs in its own process group and
 * gets exactly the signals this process gets: Playwright stops on the first Ctrl-C and runs the
 * teardown (a second one forces it), where a terminal would otherwise signal both at once.
 */
export async function startRun(opts: RunOptions, io: Partial<StartRunIo> = {}): Promise<RunOutcome> {
  const root = io.root ?? casebookRoot();
  const out = io.out ?? process.stdout;
  const signals = io.signals ?? process;
  const env = runEnvFromOptions(opts, io.runId ?? newRunId());
  await mkdir(env.reportDir, { recursive: true });
  const cli = io.cliPath ?? createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = ['test', '-c', io.configPath ?? join(root, 'playwright.config.ts'), ...(opts.shard ? [`--shard=${opts.shard}`] : [])];

  out.write(`casebook: run ${env.runId}: ${env.ids.length ? env.ids.join(', ') : 'every scenario'} on Istio ${env.istio.join(', ')} ` +
    `(${env.cluster} cluster${env.keep ? ', --keep' : ''}${opts.shard ? `, shard ${opts.shard}` : ''}); reports in ${env.reportDir}\n`);

  const child = execa(process.execPath, [cli, ...args], {
    cwd: root, env: { ...process.env, ...encodeRunEnv(env) }, extendEnv: false,
    stdin: 'ignore', all: true, reject: false, detached: true, buffer: false,
  });
  let interrupts = 0;
  const forward = (signal: 'SIGINT' | 'SIGTERM') => () => {
    interrupts++;
    out.write(interrupts === 1 ? `\ncasebook: stopping, tearing down what the run created (Ctrl-C again to force)\n` : '\ncasebook: forcing the stop\n');
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  signals.on('SIGINT', onInt);
  signals.on('SIGTERM', onTerm);
  try {
    for await (const line of child.iterable({ from: 'all' })) out.write(`${line}\n`);
    const done = await child;
    const outcome = await readOutcome(env.reportDir);
    if (!outcome) {
      out.write(`casebook: the runner ended without results (playwright exit ${done.exitCode ?? done.signal ?? 'unknown'}); see the output above\n`);
      return { exitCode: 1, reportDir: env.reportDir };
    }
    return { exitCode: outcome.exitCode, reportDir: env.reportDir };
  } finally {
    signals.removeListener('SIGINT', onInt);
    signals.removeListener('SIGTERM', onTerm);
  }
}

async function readOutcome(reportDir: string): Promise<RunOutcomeFile | undefined> {
  try {
    return JSON.parse(await readFile(join(reportDir, OUTCOME_FILE), 'utf8')) as RunOutcomeFile;
  } catch {
    return undefined;
  }
}
