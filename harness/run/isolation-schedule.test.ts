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

test('schedule: grouped by install; gateway scenarios in a lane beside the namespace ones, mesh ones alone and last', () => {
  assert.deepEqual(scheduleByIsolation(ITEMS), [
    { installKey: 'demo', ids: ['gw-a', 'gw-b', 'ns-a', 'ns-b'], lane: ['gw-a', 'gw-b'], pool: ['ns-a', 'ns-b'] },
    { installKey: 'demo', ids: ['mesh-a'], lane: ['mesh-a'], pool: [] },
    { installKey: 'demo+autoMtls=false', ids: ['ns-nomtls'], lane: [], pool: ['ns-nomtls'] },
  ]);
});

test('execution: namespace scenarios overlap each other and the gateway lane; gateway scenarios never overlap each other, mesh ones nothing', async () => {
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
  assert.deepEqual(results, ['gw-a', 'gw-b', 'ns-a', 'ns-b', 'mesh-a', 'ns-nomtls']);
  assert.ok(
    overlaps.some((o) => o.join() === 'gw-a,ns-a,ns-b'),
    'the two namespace scenarios ran at the same time, beside the first gateway scenario',
  );
  for (const o of overlaps) {
    assert.ok(o.filter((id) => id.startsWith('gw-')).length <= 1, `two gateway scenarios at once: ${o.join()}`);
    if (o.some((id) => id.startsWith('mesh-'))) assert.equal(o.length, 1, `ran alone: ${o.join()}`);
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

test('schedule: a namespace or gateway scenario that patches the mesh config or reaches every sidecar runs alone, after the others of its install', () => {
  assert.deepEqual(
    scheduleByIsolation([
      { id: 'ns-a', isolation: 'namespace', installKey: 'demo' },
      { id: 'ns-patch', isolation: 'namespace', installKey: 'demo', meshWide: true },
      { id: 'ns-b', isolation: 'namespace', installKey: 'demo' },
      { id: 'gw-dr', isolation: 'gateway', installKey: 'demo', meshWide: true },
      { id: 'gw-a', isolation: 'gateway', installKey: 'demo' },
    ]),
    [
      { installKey: 'demo', ids: ['gw-a', 'ns-a', 'ns-b'], lane: ['gw-a'], pool: ['ns-a', 'ns-b'] },
      { installKey: 'demo', ids: ['ns-patch'], lane: ['ns-patch'], pool: [] },
      { installKey: 'demo', ids: ['gw-dr'], lane: ['gw-dr'], pool: [] },
    ],
  );
});

test('execution: the lane takes one of the `concurrency` places for its whole length', async () => {
  let active = 0;
  let peak = 0;
  const order: string[] = [];
  await runBatches(
    [{ installKey: 'demo', ids: ['gw-a', 'gw-b', 'ns-a', 'ns-b'], lane: ['gw-a', 'gw-b'], pool: ['ns-a', 'ns-b'] }],
    async (id) => {
      order.push(id);
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    },
    { concurrency: 2 },
  );
  assert.equal(peak, 2);
  assert.deepEqual(order.slice(0, 2), ['gw-a', 'ns-a'], 'the lane starts first, beside the first pool scenario');
});
