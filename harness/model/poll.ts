/**
 * The one way the harness waits for something to become true outside it (a port listening, a
 * namespace gone, a service answering): ask, and when the answer is "not yet", pause and ask
 * again, until it is, or the deadline or the number of tries is used up. Errors thrown by the
 * condition end the wait at once (they are not "not yet").
 *
 * Not for `settle` (harness/run/settle.ts), which keeps every attempt of a probe and judges
 * streaks, nor for the rollout watch (harness/kube/rollout.ts), which is woken by events.
 */

/** Time, injectable so tests run without waiting. */
export type PollClock = { now(): number; sleep(ms: number): Promise<void> };

export const realClock: PollClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type PollOptions = {
  /** What is awaited, for the timeout message ("nginx listening on web:443"). */
  what: string;
  /** Give up when a try ends at or after this long since the first one began. */
  timeoutMs?: number;
  /** Give up after this many tries. At least one of timeoutMs and attempts must be given. */
  attempts?: number;
  /** Pause after the first miss (default 200 ms). */
  intervalMs?: number;
  /** Each further miss multiplies the pause by `factor`, up to `maxMs` (default: a fixed pause). */
  backoff?: { factor: number; maxMs: number };
  clock?: PollClock;
  /** The error to throw when giving up; default a PollTimeoutError naming `what`. */
  onTimeout?: (end: PollEnd) => Error;
};

/** How a wait ended without the condition holding. */
export type PollEnd = { what: string; tries: number; elapsedMs: number; timeoutMs?: number };

export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
  readonly end: PollEnd;
  constructor(end: PollEnd) {
    const limit = end.timeoutMs !== undefined ? `within ${end.timeoutMs} ms` : `in ${end.tries} tries`;
    super(`gave up waiting for ${end.what}: not ${limit} (${end.tries} tries, ${end.elapsedMs} ms)`);
    this.end = end;
  }
}

/** The pause after `misses` misses in a row (misses >= 1). */
export function pollPauseMs(opts: Pick<PollOptions, 'intervalMs' | 'backoff'>, misses: number): number {
  const first = opts.intervalMs ?? 200;
  if (!opts.backoff) return first;
  return Math.min(opts.backoff.maxMs, first * opts.backoff.factor ** Math.max(0, misses - 1));
}

/**
 * Calls `condition` (with the 1-based try number) until it returns something other than `false`
 * or `undefined`, and returns that. After a miss: gives up when `attempts` tries are used or the
 * deadline has passed, otherwise pauses (intervalMs, growing with backoff) and tries again.
 */
export async function poll<T>(condition: (tryNumber: number) => Promise<T | false | undefined>, opts: PollOptions): Promise<T> {
  if (opts.timeoutMs === undefined && opts.attempts === undefined) throw new Error(`poll(${opts.what}) needs timeoutMs or attempts`);
  const clock = opts.clock ?? realClock;
  const started = clock.now();
  for (let tries = 1; ; tries++) {
    const value = await condition(tries);
    if (value !== false && value !== undefined) return value;
    const elapsedMs = clock.now() - started;
    const outOfTries = opts.attempts !== undefined && tries >= opts.attempts;
    const outOfTime = opts.timeoutMs !== undefined && elapsedMs >= opts.timeoutMs;
    if (outOfTries || outOfTime) {
      const end: PollEnd = { what: opts.what, tries, elapsedMs, timeoutMs: opts.timeoutMs };
      throw opts.onTimeout ? opts.onTimeout(end) : new PollTimeoutError(end);
    }
    await clock.sleep(pollPauseMs(opts, tries));
  }
}
