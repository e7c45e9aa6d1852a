import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pauseMs, settle, SETTLE_BACKOFF, type Clock } from './settle.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { Check } from '../model/check.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';

const spec: ProbeSpec = { kind: 'tcp', from: 'client', host: '10.0.0.1', port: 3306 };
const fakeClock = (): Clock & { slept: number[] } => {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
};
const isUp: Check<{ up: boolean }> = { name: 'up()', evaluate: (o) => ({ ok: o.up, message: `expected up, got ${o.up ? 'up' : 'down'}` }) };

/** Replays a script of observations ('up', 'down') and transport failures ('infra'). */
function script(steps: string[]) {
  let i = 0;
  return async () => {
    const s = steps[Math.min(i++, steps.length - 1)];
    if (s === 'infra') throw new InfrastructureError('docker exec in lab-client failed: No such container');
    if (s === 'bug') throw new TypeError('cannot read properties of undefined');
    return { up: s === 'up' };
  };
}

test('holds only after N consecutive successes; a failure resets the run', async () => {
  const clock = fakeClock();
  const r = await settle({
    name: 'db',
    spec,
    observe: script(['up', 'down', 'up', 'up', 'up']),
    check: isUp,
    consecutive: 3,
    intervalMs: 1000,
    timeoutMs: 60_000,
    clock,
  });
  assert.equal(r.held, true);
  assert.equal(r.infrastructureError, false);
  assert.equal(r.attempts.length, 5);
  assert.deepEqual(
    r.attempts.map((a) => a.check?.ok),
    [true, false, true, true, true],
  );
  assert.deepEqual(clock.slept, [1000, 1000, 1000, 1000]);
  assert.equal(r.message, 'expected up, got up');
});

test('the deadline ends a probe that never settles, keeping every attempt', async () => {
  const clock = fakeClock();
  const r = await settle({
    name: 'db',
    spec,
    observe: script(['up', 'down']),
    check: isUp,
    consecutive: 2,
    intervalMs: 1000,
    timeoutMs: 5000,
    clock,
  });
  assert.equal(r.held, false);
  assert.equal(r.infrastructureError, false);
  assert.equal(r.attempts.length, 6);
  assert.match(r.message, /^db did not hold 2 times in a row within 5 s \(longest run 1\), 6 attempt\(s\); last: expected up, got down$/);
});

test('transport failures are infrastructure errors, not verdicts, and are retried', async () => {
  const clock = fakeClock();
  const recovered = await settle({
    name: 'db',
    spec,
    observe: script(['infra', 'up', 'up']),
    check: isUp,
    consecutive: 2,
    intervalMs: 500,
    timeoutMs: 10_000,
    clock,
  });
  assert.equal(recovered.held, true);
  assert.equal(recovered.infrastructureError, false);
  assert.match(recovered.attempts[0]!.transportError!, /^InfrastructureError: docker exec in lab-client failed/);
  assert.equal(recovered.attempts[0]!.check, undefined);

  const down = await settle({
    name: 'db',
    spec,
    observe: script(['down', 'infra']),
    check: isUp,
    consecutive: 2,
    intervalMs: 1000,
    timeoutMs: 3000,
    clock: fakeClock(),
  });
  assert.equal(down.held, false);
  assert.equal(down.infrastructureError, true);
  assert.match(down.message, /^could not observe db \(4 attempt\(s\) in 3 s\); last: InfrastructureError/);
});

test('a harness bug ends the probe at once as an infrastructure error', async () => {
  const r = await settle({ name: 'db', spec, observe: script(['bug']), check: isUp, clock: fakeClock() });
  assert.equal(r.attempts.length, 1);
  assert.equal(r.infrastructureError, true);
  assert.match(r.message, /TypeError: cannot read properties/);
});

test('consecutive 1 holds on the first success; defaults apply', async () => {
  const r = await settle({ name: 'db', spec, observe: script(['up']), check: isUp, consecutive: 1, clock: fakeClock() });
  assert.equal(r.held, true);
  assert.equal(r.attempts.length, 1);
  assert.equal(r.probe, 'db');
  assert.deepEqual(r.spec, spec);
});

test('with a back-off, pauses grow from tens of ms while the check fails and start short again after a hold', async () => {
  const clock = fakeClock();
  const backoff = { initialMs: 20, factor: 2, maxMs: 100 };
  const r = await settle({
    name: 'db',
    spec,
    observe: script(['down', 'down', 'down', 'down', 'up', 'down', 'up', 'up', 'up']),
    check: isUp,
    consecutive: 3,
    backoff,
    clock,
  });
  assert.equal(r.held, true);
  assert.equal(r.attempts.length, 9);
  // 4 misses: 20, 40, 80, then capped at 100; a hold: 20; a miss: 20 (first miss since the hold); holds: 20, 20.
  assert.deepEqual(clock.slept, [20, 40, 80, 100, 20, 20, 20, 20]);
});

test('a check that holds at once settles in two short pauses with the back-off, in two seconds without', async () => {
  const fast = fakeClock();
  await settle({ name: 'db', spec, observe: script(['up']), check: isUp, backoff: SETTLE_BACKOFF, clock: fast });
  assert.deepEqual(fast.slept, [20, 20]);
  const fixed = fakeClock();
  await settle({ name: 'db', spec, observe: script(['up']), check: isUp, clock: fixed });
  assert.deepEqual(fixed.slept, [1000, 1000]);
});

test('the deadline still ends a probe with a back-off, and the pause never exceeds maxMs', async () => {
  const clock = fakeClock();
  const r = await settle({ name: 'db', spec, observe: script(['down']), check: isUp, backoff: SETTLE_BACKOFF, timeoutMs: 5000, clock });
  assert.equal(r.held, false);
  assert.ok(Math.max(...clock.slept) <= SETTLE_BACKOFF.maxMs);
  assert.ok(clock.slept.reduce((a, b) => a + b, 0) <= 5000);
  assert.match(r.message, /did not hold 3 times in a row within 5 s/);
});

test('pauseMs: the fixed interval without a back-off, growing and capped with one', () => {
  assert.equal(pauseMs({}, 7), 1000);
  assert.equal(pauseMs({ intervalMs: 250 }, 7), 250);
  assert.deepEqual(
    [0, 1, 2, 5, 6, 7, 20].map((m) => pauseMs({ backoff: SETTLE_BACKOFF }, m)),
    [20, 20, 40, 320, 640, 1000, 1000],
  );
});
