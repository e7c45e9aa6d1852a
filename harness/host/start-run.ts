import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { execa } from 'execa';
import { claimsDir as defaultClaimsDir, lockCluster } from '../cluster/cluster-claims.ts';
import { casebookRoot } from '../load/casebook-root.ts';
import { defaultCacheDir } from '../tools/cache-dir.ts';
import { newRunId, type RunOptions, type RunOutcome } from '../model/run-options.ts';
import { OUTCOME_FILE, type RunOutcomeFile } from './results-reporter.ts';
import { encodeRunEnv, runEnvFromOptions } from './run-env.ts';
import { clusterNames } from './version-clusters.ts';

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
  /** Where kind cluster locks and created-marks live (default <cache>/clusters). */
  claimsDir: string;
};

/** Exit code of a run stopped by Ctrl-C, SIGTERM or SIGHUP: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/** The signals that mean "stop": Ctrl-C, a cancelled CI job (SIGTERM), a closed terminal (SIGHUP). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * `casebook run` after its pre-flight: spawns `playwright test` with the run described in
 * CASEBOOK_* variables, streams its output line by line (cluster, install and image-load
 * progress included), and returns the exit code the results reporter decided (0 all as
 * expected, 1 some not, 2 prerequisites missing, 130 interrupted).
 *
 * A kind cluster is locked for the run first (cluster-claims.ts), so a second run cannot reuse and
 * then delete it. The child runs in its own process group, so a terminal's Ctrl-C reaches it only
 * through us: every stop signal (SIGINT, SIGTERM from a cancelled CI job, SIGHUP from a closed
 * terminal) becomes one SIGINT, the only signal on which Playwright runs its teardown and
 * reporters; a second signal forces the stop. Whatever is left of the group when we end (workers,
 * a `kind create`) is killed, so nothing keeps running unattended.
 */
export async function startRun(opts: RunOptions, io: Partial<StartRunIo> = {}): Promise<RunOutcome> {
  const root = io.root ?? casebookRoot();
  const out = io.out ?? process.stdout;
  const signals = io.signals ?? process;
  const env = runEnvFromOptions(opts, io.runId ?? newRunId());
  // Every kind cluster of the run (one per version with --parallel-versions), all or none.
  const release =
    env.cluster === 'kind'
      ? await lockAll(io.claimsDir ?? defaultClaimsDir(defaultCacheDir()), clusterNames(env), env.runId)
      : async () => {};
  try {
    return await supervise(opts, io, env, root, out, signals);
  } finally {
    await release();
  }
}

async function lockAll(dir: string, names: readonly string[], runId: string): Promise<() => Promise<void>> {
  const releases: (() => Promise<void>)[] = [];
  const releaseAll = async () => {
    for (const r of releases.reverse()) await r();
  };
  try {
    for (const name of names) releases.push(await lockCluster(dir, name, { runId, pid: process.pid, host: hostname() }));
  } catch (e) {
    await releaseAll();
    throw e;
  }
  return releaseAll;
}

async function supervise(
  opts: RunOptions,
  io: Partial<StartRunIo>,
  env: ReturnType<typeof runEnvFromOptions>,
  root: string,
  out: StartRunIo['out'],
  signals: SignalSource,
): Promise<RunOutcome> {
  await mkdir(env.reportDir, { recursive: true });
  const cli = io.cliPath ?? createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = ['test', '-c', io.configPath ?? join(root, 'playwright.config.ts'), ...(opts.shard ? [`--shard=${opts.shard}`] : [])];

  out.write(
    `casebook: run ${env.runId}: ${env.ids.length ? env.ids.join(', ') : 'every scenario'} on Istio ${env.istio.join(', ')} ` +
      `(${env.cluster} cluster${env.keep ? ', --keep' : ''}${opts.shard ? `, shard ${opts.shard}` : ''}); reports in ${env.reportDir}\n`,
  );

  const child = execa(process.execPath, [cli, ...args], {
    cwd: root,
    env: { ...process.env, ...encodeRunEnv(env) },
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    detached: true,
    buffer: false,
  });
  // After SIGHUP the terminal is gone and writing to it fails (EIO/EPIPE); the run must still
  // tear down and write its reports, so console output becomes best effort.
  const say = (s: string) => {
    try {
      out.write(s);
    } catch {
      /* no terminal left */
    }
  };
  let interrupts = 0;
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = () => {
      interrupts++;
      say(
        interrupts === 1
          ? `\ncasebook: stopping, tearing down what the run created (${signal}; Ctrl-C again to force)\n`
          : `\ncasebook: ${signal} again: forcing the stop\n`,
      );
      if (interrupts === 1) child.kill('SIGINT');
      else killGroup(child.pid, 'SIGKILL');
    };
    signals.on(signal, handler);
    return [signal, handler] as const;
  });
  // If this process ends anyway (an uncaught error, process.exit elsewhere), the group goes with it.
  const onExit = () => killGroup(child.pid, 'SIGKILL');
  process.on('exit', onExit);
  try {
    for await (const line of child.iterable({ from: 'all' })) say(`${line}\n`);
    const done = await child;
    const outcome = await readOutcome(env.reportDir);
    if (interrupts > 0) {
      say(`casebook: the run was interrupted (exit ${INTERRUPTED_EXIT_CODE})${outcome ? '' : '; the runner wrote no results'}\n`);
      return { exitCode: INTERRUPTED_EXIT_CODE, reportDir: env.reportDir };
    }
    if (!outcome) {
      say(
        `casebook: the runner ended without results (playwright exit ${done.exitCode ?? done.signal ?? 'unknown'}); see the output above\n`,
      );
      return { exitCode: 1, reportDir: env.reportDir };
    }
    return { exitCode: outcome.exitCode, reportDir: env.reportDir };
  } finally {
    for (const [signal, handler] of handlers) signals.removeListener(signal, handler);
    process.removeListener('exit', onExit);
    // Processes the runner left in its group (a worker, a kind or docker step) must not outlive the run.
    killGroup(child.pid, 'SIGKILL');
  }
}

/** Signals the child's whole process group (it leads one: detached). ESRCH: nothing left, fine. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function readOutcome(reportDir: string): Promise<RunOutcomeFile | undefined> {
  try {
    return JSON.parse(await readFile(join(reportDir, OUTCOME_FILE), 'utf8')) as RunOutcomeFile;
  } catch {
    return undefined;
  }
}
