import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Check } from '../model/check.ts';
import { isPhaseSpecific, phaseSpecific, settleOrder } from './phase-specific.ts';

const c = (name: string, ok = true): Check<unknown> => ({ name, evaluate: () => ({ ok, message: `${name} said ${ok}` }) });

test("phaseSpecific keeps the check's name and judgement and adds the reason", () => {
  const marked = phaseSpecific(c('listener(3307)', false), 'only the 3307 entry makes this listener');
  assert.equal(marked.name, 'listener(3307)');
  assert.deepEqual(marked.evaluate({}), { ok: false, message: 'listener(3307) said false' });
  assert.equal(isPhaseSpecific(marked), true);
  assert.equal(isPhaseSpecific(c('status(404)')), false);
  assert.throws(() => phaseSpecific(c('x'), ' '), /needs a reason/);
});

test('the runner settles phase-specific probes first, the others in the order written', () => {
  const order = settleOrder({ a: c('a'), b: c('b'), proof: phaseSpecific(c('p'), 'why'), d: c('d') }).map(([n]) => n);
  assert.deepEqual(order, ['proof', 'a', 'b', 'd']);
});
