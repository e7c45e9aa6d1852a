import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchParent } from './parent-watch.ts';

test('the runner interrupts itself (once) when casebook, its parent, is gone', async () => {
  let ppid = 100;
  let interrupts = 0;
  watchParent({
    parentPid: 100,
    ppid: () => ppid,
    interrupt: () => {
      interrupts++;
    },
    everyMs: 5,
  });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(interrupts, 0, 'parent alive: nothing happens');
  ppid = 1;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(interrupts, 1);
});
