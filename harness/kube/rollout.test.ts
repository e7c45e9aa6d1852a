import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { rolloutState, selectorString, waitForRollout } from './rollout.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { podJson, podList } from './testing/pod-fixtures.ts';
import { InfrastructureError } from '../model/errors.ts';

// Plain JSON as the API returns it; the fields read here have the same names in the typed model.
const pod = (o: Parameters<typeof podJson>[0]) => podJson(o) as unknown as V1Pod;
function deploymentJson(status: Record<string, unknown>, generation = 2): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'httpbin', namespace: 'demo1', generation },
    spec: { replicas: 1, selector: { matchLabels: { app: 'httpbin' } }, template: {} },
    status,
  };
}
const deployment = (status: Record<string, unknown>, generation = 2) => deploymentJson(status, generation) as unknown as V1Deployment;
const DONE = { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 };

test('rollout is done only when the controller observed the spec and every container, the native sidecar included, is ready', () => {
  assert.equal(rolloutState(deployment(DONE), [pod({ name: 'h1', app: 'httpbin' })], { expectSidecar: true }).done, true);
  assert.match(rolloutState(deployment({ ...DONE, observedGeneration: 1 }), []).detail, /observe generation 2/);
  assert.match(rolloutState(deployment({ ...DONE, replicas: 2 }), []).detail, /1 old replicas pending termination/);
  assert.match(rolloutState(deployment({ ...DONE, availableReplicas: 0 }), []).detail, /0 of 1 updated replicas available/);
  const notReady = rolloutState(deployment(DONE), [pod({ name: 'h1', app: 'httpbin', sidecarReady: false })]);
  assert.equal(notReady.done, false);
  assert.match(notReady.detail, /h1: sidecar istio-proxy not ready \(waiting: ImagePullBackOff/);
});

test('rollout with a classic sidecar in .spec.containers counts it too; terminating pods are ignored', () => {
  const state = rolloutState(
    deployment(DONE),
    [
      pod({ name: 'old', app: 'httpbin', native: false, sidecarReady: false, terminating: true }),
      pod({ name: 'new', app: 'httpbin', native: false }),
    ],
    { expectSidecar: true },
  );
  assert.deepEqual(state, { done: true, detail: 'deployment demo1/httpbin: 1 of 1 pods ready with all containers' });
  assert.match(
    rolloutState(deployment(DONE), [pod({ name: 'new', app: 'httpbin', native: false, appReady: false })]).detail,
    /new: container httpbin not ready/,
  );
});

test('a pod without istio-proxy fails the rollout when injection is expected', () => {
  const bare = podJson({ name: 'h1', app: 'httpbin' }) as { spec: { initContainers: unknown[] } };
  bare.spec.initContainers = [];
  const state = rolloutState(deployment(DONE), [bare as unknown as V1Pod], { expectSidecar: true });
  assert.match(state.detail, /no istio-proxy container \(sidecar injection did not happen\)/);
});

test('ProgressDeadlineExceeded is reported as such', () => {
  const state = rolloutState(
    deployment({
      ...DONE,
      availableReplicas: 0,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "httpbin-1" has timed out progressing.',
        },
      ],
    }),
    [],
  );
  assert.match(state.detail, /exceeded its progress deadline: ReplicaSet "httpbin-1" has timed out/);
});

test('label selectors render like kubectl', () => {
  assert.equal(
    selectorString({
      matchLabels: { app: 'httpbin' },
      matchExpressions: [
        { key: 'version', operator: 'In', values: ['v1', 'v2'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    }),
    'app=httpbin,version in (v1,v2),!canary',
  );
});

test('fake API server, not a cluster: where the API refuses watches (404), waitForRollout lists again every intervalMs until ready, and times out naming what was not ready', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  let reads = 0;
  fake.on('GET', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({
    status: 200,
    body: deploymentJson(++reads < 3 ? { ...DONE, availableReplicas: 0 } : DONE),
  }));
  fake.on('GET', '/api/v1/namespaces/demo1/pods', (req) => {
    assert.equal(req.query.get('labelSelector'), 'app=httpbin');
    return { status: 200, body: podList(podJson({ name: 'h1', app: 'httpbin' })) };
  });
  const done = await waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', { intervalMs: 1, expectSidecar: true });
  assert.equal(done.done, true);
  assert.equal(reads, 3);

  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => ({
    status: 200,
    body: podList(podJson({ name: 'h1', app: 'httpbin', sidecarReady: false })),
  }));
  let clock = 0;
  await assert.rejects(
    waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', {
      timeoutMs: 5000,
      now: () => clock,
      sleep: async () => {
        clock += 1000;
      },
    }),
    (e: unknown) => e instanceof InfrastructureError && /not rolled out after 5s: .*sidecar istio-proxy not ready/.test(e.message),
  );
});

test('fake API server, not a cluster: waitForRollout watches from the resourceVersion it read and returns on the event that makes it ready, without polling', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  const notYet = {
    ...deploymentJson({ ...DONE, availableReplicas: 0 }),
    metadata: { name: 'httpbin', namespace: 'demo1', generation: 2, resourceVersion: '100' },
  };
  fake.on('GET', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({ status: 200, body: notYet }));
  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => ({
    status: 200,
    body: { ...podList(podJson({ name: 'h1', app: 'httpbin', sidecarReady: false })), metadata: { resourceVersion: '200' } },
  }));
  const opened: { path: string; query: URLSearchParams }[] = [];
  fake.onWatch('/apis/apps/v1/namespaces/demo1/deployments', (w) => {
    opened.push(w);
    // The controller reports the replica available a moment later.
    setTimeout(() => w.send('MODIFIED', deploymentJson(DONE)), 20);
  });
  fake.onWatch('/api/v1/namespaces/demo1/pods', (w) => {
    opened.push(w);
    setTimeout(() => {
      w.send('BOOKMARK', { metadata: { resourceVersion: '201' } });
      w.send('MODIFIED', podJson({ name: 'h1', app: 'httpbin' }));
    }, 40);
  });
  const started = Date.now();
  const done = await waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', { expectSidecar: true, intervalMs: 60_000 });
  assert.equal(done.done, true);
  assert.ok(Date.now() - started < 5000, 'returned on the event, not at a poll');
  const reads = fake.requests.filter((r) => r.query.get('watch') !== 'true' && r.path.includes('/deployments/httpbin'));
  assert.equal(reads.length, 1, 'one read, then events');
  const deployments = opened.find((w) => w.path.endsWith('/deployments'))!;
  assert.equal(deployments.query.get('fieldSelector'), 'metadata.name=httpbin');
  assert.equal(deployments.query.get('resourceVersion'), '100');
  const pods = opened.find((w) => w.path.endsWith('/pods'))!;
  assert.equal(pods.query.get('labelSelector'), 'app=httpbin');
  assert.equal(pods.query.get('resourceVersion'), '200');
  assert.equal(pods.query.get('allowWatchBookmarks'), 'true');
});

test('fake API server, not a cluster: a watch that ends (server timeout, 410 Gone as an ERROR event) makes waitForRollout list again and watch on; a deleted pod stops counting', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  let lists = 0;
  fake.on('GET', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({ status: 200, body: deploymentJson(DONE) }));
  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => {
    lists++;
    // Second list: the old, never-ready pod is gone and the new one is ready.
    return {
      status: 200,
      body:
        lists === 1
          ? podList(podJson({ name: 'old', app: 'httpbin', appReady: false }))
          : podList(podJson({ name: 'new', app: 'httpbin' })),
    };
  });
  fake.onWatch('/apis/apps/v1/namespaces/demo1/deployments', () => {});
  fake.onWatch('/api/v1/namespaces/demo1/pods', (w) => {
    setTimeout(() => w.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' }), 10);
  });
  const done = await waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', { intervalMs: 5 });
  assert.equal(done.done, true);
  assert.equal(lists, 2);

  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => ({
    status: 200,
    body: podList(podJson({ name: 'a', app: 'httpbin' }), podJson({ name: 'b', app: 'httpbin', appReady: false })),
  }));
  fake.on('GET', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({ status: 200, body: deploymentJson(DONE) }));
  fake.onWatch('/api/v1/namespaces/demo1/pods', (w) => {
    setTimeout(() => w.send('DELETED', podJson({ name: 'b', app: 'httpbin', appReady: false })), 10);
  });
  assert.equal((await waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', { intervalMs: 60_000 })).done, true);
});

test('fake API server, not a cluster: waitForRollout gives up at its timeout while watching, with a clear error naming what was not ready', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({ status: 200, body: deploymentJson(DONE) }));
  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => ({
    status: 200,
    body: podList(podJson({ name: 'h1', app: 'httpbin', sidecarReady: false })),
  }));
  fake.onWatch('/apis/apps/v1/namespaces/demo1/deployments', () => {});
  fake.onWatch('/api/v1/namespaces/demo1/pods', () => {});
  const started = Date.now();
  await assert.rejects(
    waitForRollout(fake.kubeConfig(), 'demo1', 'httpbin', { timeoutMs: 300, intervalMs: 60_000 }),
    (e: unknown) =>
      e instanceof InfrastructureError &&
      /not rolled out after 0\.3s: deployment demo1\/httpbin: h1: sidecar istio-proxy not ready \(waiting: ImagePullBackOff/.test(
        e.message,
      ) &&
      /kubectl -n demo1 describe pods/.test(e.hint ?? ''),
  );
  assert.ok(Date.now() - started < 3000);
  // The client aborted both watches; the server sees the connections close a moment later.
  for (let i = 0; i < 100 && fake.watches.length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(fake.watches.length, 0, 'the watches are closed');
});
