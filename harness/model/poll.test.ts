import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poll, pollPauseMs, PollTimeoutError, type PollClock } from './poll.ts';

/** A clock that only moves when poll sleeps (plus `costMs` per try), recording every pause. */
function fakeClock(costMs = 0): PollClock & { pauses: number[]; tick(): void } {
  let t = 1_000;
  const pauses: number[] = [];
  return {
    pauses,
    now: () => t,
    sleep: async (ms) => {
      pauses.push(ms);
      t += ms;
    },
    tick: () => {
      t += costMs;
    },
  };
}

test('returns the first value that is not false/undefined, with the try number', async () => {
  const clock = fakeClock();
  const seen: number[] = [];
  const v = await poll(
    async (n) => {
      seen.push(n);
      return n === 3 ? `ready at ${n}` : false;
    },
    { what: 'x', timeoutMs: 10_000, clock },
  );
  assert.equal(v, 'ready at 3');
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(clock.pauses, [200, 200], 'a fixed 200 ms pause by default, none after the hit');
});

test('a condition that holds at once never pauses', async () => {
  const clock = fakeClock();
  assert.equal(await poll(async () => true, { what: 'x', timeoutMs: 1, clock }), true);
  assert.deepEqual(clock.pauses, []);
});

test('back-off: the pause grows by the factor up to the maximum', async () => {
  const clock = fakeClock();
  await poll(async (n) => n === 6 || undefined, {
    what: 'x',
    timeoutMs: 60_000,
    intervalMs: 100,
    backoff: { factor: 2, maxMs: 500 },
    clock,
  });
  assert.deepEqual(clock.pauses, [100, 200, 400, 500, 500]);
  assert.equal(pollPauseMs({ intervalMs: 20, backoff: { factor: 2, maxMs: 1000 } }, 1), 20);
  assert.equal(pollPauseMs({}, 7), 200);
});

test('deadline: gives up after the try that ends at or past it, with a message naming what was awaited', async () => {
  const clock = fakeClock();
  let tries = 0;
  await assert.rejects(
    poll(
      async () => {
        tries++;
        return false;
      },
      { what: 'nginx on web:80', timeoutMs: 1_000, intervalMs: 300, clock },
    ),
    (e: unknown) => {
      assert.ok(e instanceof PollTimeoutError);
      assert.equal(e.message, 'gave up waiting for nginx on web:80: not within 1000 ms (5 tries, 1200 ms)');
      assert.deepEqual(e.end, { what: 'nginx on web:80', tries: 5, elapsedMs: 1200, timeoutMs: 1000 });
      return true;
    },
  );
  // Tries at 0, 300, 600, 900 and 1200 ms: the last one begins after the deadline's last pause.
  assert.equal(tries, 5);
});

test('attempts: gives up after that many tries without a last pause; onTimeout picks the error', async () => {
  const clock = fakeClock();
  await assert.rejects(
    poll(async () => undefined, {
      what: 'db',
      attempts: 3,
      intervalMs: 1000,
      clock,
      onTimeout: (end) => new RangeError(`db not up after ${end.tries} tries`),
    }),
    /^RangeError: db not up after 3 tries$/,
  );
  assert.deepEqual(clock.pauses, [1000, 1000]);
});

test('slow tries count against the deadline too', async () => {
  const clock = fakeClock(400);
  await assert.rejects(
    poll(
      async () => {
        clock.tick();
        return false;
      },
      { what: 'slow', timeoutMs: 1_000, intervalMs: 100, clock },
    ),
    (e: unknown) => e instanceof PollTimeoutError && e.end.tries === 3,
  );
});

test('an error thrown by the condition ends the wait at once', async () => {
  const clock = fakeClock();
  await assert.rejects(
    poll(
      async (n) => {
        if (n === 2) throw new Error('no such container');
        return false;
      },
      { what: 'x', timeoutMs: 10_000, clock },
    ),
    /no such container/,
  );
  assert.deepEqual(clock.pauses, [200]);
});

test('without a deadline or a number of tries it refuses to start', async () => {
  await assert.rejects(
    poll(async () => true, { what: 'forever' }),
    /poll\(forever\) needs timeoutMs or attempts/,
  );
});

test('the real clock really waits between tries', async () => {
  const started = Date.now();
  await poll(async (n) => n === 3, { what: 'x', timeoutMs: 5_000, intervalMs: 20 });
  assert.ok(Date.now() - started >= 35, `took ${Date.now() - started} ms`);
});
