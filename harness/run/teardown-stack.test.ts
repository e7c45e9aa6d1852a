import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { interruptSignal, TeardownStack, TeardownStartedError, withTeardown } from './teardown-stack.ts';

test('teardown runs last-in first-out after a failing body, and every step runs even when one fails', async () => {
  const order: string[] = [];
  const stack = new TeardownStack();
  const out = await withTeardown(stack, async (s) => {
    s.defer('delete cluster', () => {
      order.push('cluster');
    });
    s.defer('delete namespace demo1', () => {
      order.push('namespace');
      throw new Error('API server gone');
    });
    s.defer('stop mysql container', () => {
      order.push('mysql');
    });
    throw new Error('phase broken: pod not ready');
  });
  assert.equal((out.error as Error).message, 'phase broken: pod not ready');
  assert.deepEqual(order, ['mysql', 'namespace', 'cluster']);
  assert.deepEqual(out.teardown.ran, ['stop mysql container', 'delete cluster']);
  assert.deepEqual(out.teardown.failed, [{ label: 'delete namespace demo1', error: 'API server gone' }]);
});

test('an interrupt (SIGINT) starts teardown at once in LIFO order; a later defer is undone immediately and stops the body', async () => {
  const order: string[] = [];
  const process = new EventEmitter();
  const interrupt = interruptSignal(process);
  const stack = new TeardownStack();
  let release!: () => void;
  const blocked = new Promise<void>((r) => {
    release = r;
  });
  const run = withTeardown(
    stack,
    async (s) => {
      s.defer('namespace', () => {
        order.push('namespace');
      });
      s.defer('workloads', () => {
        order.push('workloads');
      });
      await blocked; // e.g. waiting for a rollout when Ctrl-C arrives
      order.push('body resumed');
      s.defer('phase config', () => {
        order.push('phase config');
      });
      order.push('never reached');
    },
    { signal: interrupt.signal },
  );

  process.emit('SIGINT');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['workloads', 'namespace'], 'teardown ran while the body was still blocked');
  release();
  const out = await run;
  interrupt.dispose();
  assert.ok(out.error instanceof TeardownStartedError);
  assert.deepEqual(order, ['workloads', 'namespace', 'body resumed', 'phase config']);
  assert.deepEqual(out.teardown.ran, ['workloads', 'namespace', 'phase config']);
  assert.equal(process.listenerCount('SIGINT'), 0);
});

test('with keep nothing runs and the cleanup commands come in the order to type them', async () => {
  const stack = new TeardownStack({ keep: true });
  let ran = false;
  const out = await withTeardown(stack, async (s) => {
    s.defer(
      'kind cluster',
      () => {
        ran = true;
      },
      'kind delete cluster --name casebook',
    );
    s.defer(
      'namespace demo1',
      () => {
        ran = true;
      },
      'kubectl delete namespace demo1',
    );
    s.defer('an in-memory step', () => {
      ran = true;
    });
  });
  assert.equal(ran, false);
  assert.deepEqual(out.teardown, {
    kept: true,
    ran: [],
    failed: [],
    commands: ['kubectl delete namespace demo1', 'kind delete cluster --name casebook'],
  });
});

test('unwind runs once however often it is asked', async () => {
  let count = 0;
  const stack = new TeardownStack();
  stack.defer('x', () => {
    count++;
  });
  const [a, b] = await Promise.all([stack.unwind(), stack.unwind()]);
  await stack.unwind();
  assert.equal(count, 1);
  assert.deepEqual(a, b);
});
