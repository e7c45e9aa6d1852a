import { test } from 'node:test';
import { hostname } from 'node:os';
import assert from 'node:assert/strict';
import { deleteOwnedNamespace, ensureNamespace } from './namespaces.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { PrerequisiteError } from '../model/errors.ts';

const REQ = { name: 'demo1', scenario: 'destinationrule-without-tls-overrides-mesh-mtls', runId: 'r1', injected: true };
const ns = (labels: Record<string, string>) => ({
  status: 200,
  body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo1', labels }, status: { phase: 'Active' } },
});

test('fake API server, not a cluster: a new namespace is created with our labels and istio-injection', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('POST', '/api/v1/namespaces', (req) => ({ status: 201, body: JSON.parse(req.body) }));
  assert.equal(await ensureNamespace(fake.kubeConfig(), REQ), 'created');
  const body = JSON.parse(fake.requests.find((r) => r.method === 'POST')!.body);
  assert.deepEqual(body.metadata, {
    name: 'demo1',
    labels: {
      'casebook.dev/managed-by': 'istio-casebook',
      'casebook.dev/scenario': REQ.scenario,
      'casebook.dev/run': 'r1',
      'istio-injection': 'enabled',
    },
    annotations: { 'casebook.dev/owner-pid': String(process.pid), 'casebook.dev/owner-host': hostname() },
  });
});

test('fake API server, not a cluster: a namespace without our label is refused and left alone', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', '/api/v1/namespaces/demo1', () => ns({ team: 'payments' }));
  await assert.rejects(
    ensureNamespace(fake.kubeConfig(), REQ),
    (e: unknown) => e instanceof PrerequisiteError && /not labelled casebook.dev\/managed-by=istio-casebook/.test(e.message),
  );
  assert.equal(await deleteOwnedNamespace(fake.kubeConfig(), 'demo1'), 'not-ours');
  assert.deepEqual(
    fake.requests.filter((r) => r.method !== 'GET'),
    [],
    'no write request reached the server',
  );
});

test('fake API server, not a cluster: our leftover namespace is deleted, awaited and made again', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  let reads = 0;
  fake.on('GET', '/api/v1/namespaces/demo1', () =>
    ++reads <= 2
      ? ns({ 'casebook.dev/managed-by': 'istio-casebook', 'casebook.dev/run': 'old' })
      : { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 } },
  );
  fake.on('DELETE', '/api/v1/namespaces/demo1', () => ({ status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } }));
  fake.on('POST', '/api/v1/namespaces', (req) => ({ status: 201, body: JSON.parse(req.body) }));
  assert.equal(await ensureNamespace(fake.kubeConfig(), REQ, { intervalMs: 1 }), 'recreated');
  assert.deepEqual(
    fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
    ['DELETE /api/v1/namespaces/demo1', 'POST /api/v1/namespaces'],
  );
  assert.equal(fake.requests.find((r) => r.method === 'DELETE')!.query.get('propagationPolicy'), 'Background');
});

const otherRun = (pid: number, host: string) => ({
  status: 200,
  body: {
    apiVersion: 'v1',
    kind: 'Namespace',
    status: { phase: 'Active' },
    metadata: {
      name: 'demo1',
      labels: { 'casebook.dev/managed-by': 'istio-casebook', 'casebook.dev/run': 'run-a' },
      annotations: { 'casebook.dev/owner-pid': String(pid), 'casebook.dev/owner-host': host },
    },
  },
});

test('fake API server, not a cluster: the namespace of another casebook run that is still running is refused, never deleted', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  // The test's parent process stands in for run A, alive on this host.
  fake.on('GET', '/api/v1/namespaces/demo1', () => otherRun(process.ppid, 'h1'));
  await assert.rejects(
    ensureNamespace(fake.kubeConfig(), REQ, {}, { pid: process.pid, host: 'h1' }),
    (e: unknown) =>
      e instanceof PrerequisiteError &&
      /belongs to casebook run run-a/.test(e.message) &&
      /kubectl delete namespace -l casebook.dev\/run=run-a/.test(e.hint ?? ''),
  );
  // Run B's teardown must not delete run A's namespace either.
  assert.equal(await deleteOwnedNamespace(fake.kubeConfig(), 'demo1', 'r1'), 'not-ours');
  assert.deepEqual(
    fake.requests.filter((r) => r.method !== 'GET'),
    [],
    'no write request reached the server',
  );
});

test('fake API server, not a cluster: a namespace of a run whose process is gone is a leftover: recreated, with our owner annotations', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  let reads = 0;
  fake.on('GET', '/api/v1/namespaces/demo1', () =>
    ++reads <= 1
      ? otherRun(2 ** 22 + 999, 'h1')
      : { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 } },
  );
  fake.on('DELETE', '/api/v1/namespaces/demo1', () => ({ status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } }));
  fake.on('POST', '/api/v1/namespaces', (req) => ({ status: 201, body: JSON.parse(req.body) }));
  assert.equal(await ensureNamespace(fake.kubeConfig(), REQ, { intervalMs: 1 }, { pid: 4242, host: 'h1' }), 'recreated');
  const body = JSON.parse(fake.requests.find((r) => r.method === 'POST')!.body);
  assert.deepEqual(body.metadata.annotations, { 'casebook.dev/owner-pid': '4242', 'casebook.dev/owner-host': 'h1' });
});
