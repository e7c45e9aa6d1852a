import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBatches, scheduleByIsolation, type Schedulable } from './isolation-schedule.ts';

const ITEMS: Schedulable[] = [
  { id: 'gw-a', isolation: 'gateway', installKey: 'demo' },
  { id: 'ns-a', isolation: 'namespace', installKey: 'demo' },
  { id: 'mesh-a', isolation: 'mesh', installKey: 'demo' },
  { id: 'ns-nomtls', isolation: 'namespace', installKey: 'demo+autoMtls=false' },
  { id: 'ns-b', isolation: 'namespace', installKey: 'demo' },
  { id: 'gw-b', isolation: 'gateway', installKey: 'demo' },
];

test('schedule: grouped by install; namespace scenarios together, gateway ones one by one, mesh ones alone and last', () => {
  assert.deepEqual(scheduleByIsolation(ITEMS), [
    { installKey: 'demo', ids: ['ns-a', 'ns-b'], parallel: true },
    { installKey: 'demo', ids: ['gw-a'], parallel: false },
    { installKey: 'demo', ids: ['gw-b'], parallel: false },
    { installKey: 'demo', ids: ['mesh-a'], parallel: false },
    { installKey: 'demo+autoMtls=false', ids: ['ns-nomtls'], parallel: false },
  ]);
});

test('execution: namespace scenarios overlap, gateway and mesh scenarios never overlap anything', async () => {
  const running = new Set<string>();
  const overlaps: string[][] = [];
  const tick = () => new Promise((r) => setTimeout(r, 5));
  const results = await runBatches(
    scheduleByIsolation(ITEMS),
    async (id) => {
      running.add(id);
      await tick();
      overlaps.push([...running].sort());
      await tick();
      running.delete(id);
      return id;
    },
    { concurrency: 4 },
  );
  assert.deepEqual(results, ['ns-a', 'ns-b', 'gw-a', 'gw-b', 'mesh-a', 'ns-nomtls']);
  assert.ok(
    overlaps.some((o) => o.join() === 'ns-a,ns-b'),
    'the two namespace scenarios ran at the same time',
  );
  for (const o of overlaps) {
    if (o.some((id) => id.startsWith('gw-') || id.startsWith('mesh-'))) assert.equal(o.length, 1, `ran alone: ${o.join()}`);
  }
});

test('execution: concurrency 1 runs everything one after another', async () => {
  let active = 0;
  let peak = 0;
  await runBatches(
    scheduleByIsolation(ITEMS),
    async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    },
    { concurrency: 1 },
  );
  assert.equal(peak, 1);
});

test('schedule: a namespace scenario that patches the mesh config or applies mesh-wide objects runs alone, after the others of its install', () => {
  assert.deepEqual(
    scheduleByIsolation([
      { id: 'ns-a', isolation: 'namespace', installKey: 'demo' },
      { id: 'ns-patch', isolation: 'namespace', installKey: 'demo', meshWide: true },
      { id: 'ns-b', isolation: 'namespace', installKey: 'demo' },
      { id: 'gw-a', isolation: 'gateway', installKey: 'demo' },
    ]),
    [
      { installKey: 'demo', ids: ['ns-a', 'ns-b'], parallel: true },
      { installKey: 'demo', ids: ['ns-patch'], parallel: false },
      { installKey: 'demo', ids: ['gw-a'], parallel: false },
    ],
  );
});
