import type { Check } from '../model/check.ts';
import { InfrastructureError } from '../model/errors.ts';
import { realClock, type PollClock } from '../model/poll.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { Attempt, ProbeResult } from '../model/results.ts';

/** Time, injectable so tests run without waiting: the clock poll() takes. */
export type Clock = PollClock;

export type SettleOptions = {
  /** Probe name as in the scenario. */
  name: string;
  spec: ProbeSpec;
  /** One observation; throws InfrastructureError when the harness could not observe. */
  observe: () => Promise<unknown>;
  check: Check<any>;
  /** How many attempts in a row the check must hold (default 3). */
  consecutive?: number;
  /** Deadline for the whole probe, from the first attempt (default 90 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 1 s). Ignored when `backoff` is given. */
  intervalMs?: number;
  /**
   * Pauses that start short and grow while the check does not hold, and start short again after
   * it held: a probe that agrees at once is done in tens of milliseconds, one waiting for config
   * is asked less and less often, up to maxMs. Only for a probe whose observation cannot be the
   * previous phase's config (the runner decides: harness/run/phase-runner.ts); otherwise the
   * fixed interval gives istiod time to push before three answers in a row are believed.
   */
  backoff?: Backoff;
  clock?: Clock;
};

export type Backoff = { initialMs: number; factor: number; maxMs: number };

export const SETTLE_DEFAULTS = { consecutive: 3, timeoutMs: 90_000, intervalMs: 1_000 } as const;
/** As Istio's own test framework retries calls: from 20 ms, doubling (pkg/test/framework/components/echo). */
export const SETTLE_BACKOFF: Backoff = { initialMs: 20, factor: 2, maxMs: 1_000 };

/** The pause after an attempt: `misses` attempts in a row have failed (0 after a hold). */
export function pauseMs(opts: Pick<SettleOptions, 'intervalMs' | 'backoff'>, misses: number): number {
  if (!opts.backoff) return opts.intervalMs ?? SETTLE_DEFAULTS.intervalMs;
  const { initialMs, factor, maxMs } = opts.backoff;
  return Math.min(maxMs, initialMs * factor ** Math.max(0, misses - 1));
}

/**
 * Istio pushes configuration to proxies eventually: a probe is retried until its check holds
 * `consecutive` times in a row, or the deadline passes. Every attempt is kept. When the harness
 * could not observe (exec transport down, pod not ready), the attempt records a transport error;
 * a probe that ends on one is an infrastructure error, never a verdict about the mesh. Errors
 * other than InfrastructureError are harness bugs: they end the probe at once.
 */
export async function settle(opts: SettleOptions): Promise<ProbeResult> {
  const consecutive = Math.max(1, opts.consecutive ?? SETTLE_DEFAULTS.consecutive);
  const timeoutMs = opts.timeoutMs ?? SETTLE_DEFAULTS.timeoutMs;
  const clock = opts.clock ?? realClock;
  const deadline = clock.now() + timeoutMs;
  const attempts: Attempt[] = [];
  let streak = 0;
  let bestStreak = 0;
  let misses = 0;

  const result = (held: boolean, message: string, infrastructureError: boolean): ProbeResult => ({
    probe: opts.name,
    spec: opts.spec,
    held,
    message,
    infrastructureError,
    attempts,
  });

  for (;;) {
    const started = clock.now();
    const attempt: Attempt = { index: attempts.length + 1, startedAt: new Date(started).toISOString(), durationMs: 0 };
    attempts.push(attempt);
    try {
      const observation = await opts.observe();
      attempt.observation = observation;
      attempt.durationMs = clock.now() - started;
      attempt.check = safeEvaluate(opts.check, observation);
      streak = attempt.check.ok ? streak + 1 : 0;
      misses = attempt.check.ok ? 0 : misses + 1;
      bestStreak = Math.max(bestStreak, streak);
    } catch (e) {
      attempt.durationMs = clock.now() - started;
      const err = e as Error;
      attempt.transportError = `${err.name}: ${err.message}`;
      streak = 0;
      misses++;
      if (!(e instanceof InfrastructureError)) {
        return result(false, `the harness failed while observing ${opts.name}: ${attempt.transportError}`, true);
      }
    }
    if (streak >= consecutive) {
      return result(true, attempt.check!.message, false);
    }
    const pause = pauseMs(opts, misses);
    if (clock.now() + pause > deadline) break;
    await clock.sleep(pause);
  }

  const last = attempts.at(-1)!;
  const seconds = Math.round(timeoutMs / 100) / 10;
  if (last.transportError) {
    return result(
      false,
      `could not observe ${opts.name} (${attempts.length} attempt(s) in ${seconds} s); last: ${last.transportError}`,
      true,
    );
  }
  const why =
    consecutive === 1
      ? `did not hold within ${seconds} s`
      : `did not hold ${consecutive} times in a row within ${seconds} s (longest run ${bestStreak})`;
  return result(false, `${opts.name} ${why}, ${attempts.length} attempt(s); last: ${last.check?.message ?? ''}`, false);
}

/** A throwing check is a harness bug; record it as a failed check with the error, not as a crash. */
function safeEvaluate(check: Check<any>, observation: unknown) {
  try {
    return check.evaluate(observation);
  } catch (e) {
    return { ok: false, message: `check ${check.name} threw ${(e as Error).message}` };
  }
}
