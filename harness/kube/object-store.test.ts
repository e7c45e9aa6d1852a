import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createObjectStore } from './object-store.ts';
import { parseManifest } from './manifest-objects.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { InfrastructureError } from '../model/errors.ts';

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: httpbin, namespace: demo1 }
spec:
  replicaz: 3
  selector: { matchLabels: { app: httpbin } }
  template:
    metadata: { labels: { app: httpbin } }
    spec:
      containers: [{ name: httpbin, image: mccutchen/go-httpbin:v2.15.0, imagePullPolicee: Never }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: demo1 }
spec:
  host: httpbin.demo1.svc.cluster.local
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } }
`;

test('fake API server, not a cluster: server-side apply sends PATCH apply-patch+yaml with fieldManager, force and strict validation', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('PATCH', /.*/, (req) => ({ status: 200, body: JSON.parse(req.body) }));
  await createObjectStore(fake.kubeConfig()).apply(parseManifest(MANIFEST, 'test.yaml'));

  const patches = fake.requests.filter((r) => r.method === 'PATCH');
  assert.deepEqual(
    patches.map((r) => r.path),
    ['/apis/apps/v1/namespaces/demo1/deployments/httpbin', '/apis/networking.istio.io/v1/namespaces/demo1/destinationrules/httpbin'],
  );
  for (const p of patches) {
    assert.equal(p.headers['content-type'], 'application/apply-patch+yaml');
    assert.equal(p.query.get('fieldManager'), 'istio-casebook');
    assert.equal(p.query.get('force'), 'true');
    assert.equal(p.query.get('fieldValidation'), 'Strict');
  }
});

test('fake API server, not a cluster: the applied body is the object as written (typo fields reach the server, no typed model)', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('PATCH', /.*/, (req) => ({ status: 200, body: JSON.parse(req.body) }));
  await createObjectStore(fake.kubeConfig()).apply(parseManifest(MANIFEST, 'test.yaml'));
  const [deployment, rule] = fake.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body));
  // client-node's typed Deployment model would drop both of these before sending.
  assert.equal(deployment.spec.replicaz, 3);
  assert.equal(deployment.spec.template.spec.containers[0].imagePullPolicee, 'Never');
  assert.deepEqual(rule.spec.trafficPolicy, { connectionPool: { tcp: { maxConnections: 1 } } });
});

test('fake API server, not a cluster: an apply rejected by the server is an InfrastructureError quoting the Status message', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('PATCH', /.*/, () => ({
    status: 422,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Invalid',
      message: 'Deployment.apps "httpbin" is invalid: .spec.replicaz: field not declared in schema',
      code: 422,
    },
  }));
  await assert.rejects(createObjectStore(fake.kubeConfig()).apply(parseManifest(MANIFEST, 'test.yaml')), (e: unknown) => {
    assert.ok(e instanceof InfrastructureError);
    assert.match(e.message, /could not apply Deployment demo1\/httpbin: HTTP 422 Invalid: .*replicaz: field not declared/);
    return true;
  });
});

test('fake API server, not a cluster: delete goes in reverse order with Background propagation and ignores 404', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('DELETE', '/apis/apps/v1/namespaces/demo1/deployments/httpbin', () => ({
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Success' },
  }));
  // The DestinationRule route is absent: the fake answers 404 NotFound, which delete must accept.
  await createObjectStore(fake.kubeConfig()).delete(parseManifest(MANIFEST, 'test.yaml'));
  const deletes = fake.requests.filter((r) => r.method === 'DELETE');
  assert.deepEqual(
    deletes.map((r) => r.path),
    ['/apis/networking.istio.io/v1/namespaces/demo1/destinationrules/httpbin', '/apis/apps/v1/namespaces/demo1/deployments/httpbin'],
  );
  assert.ok(deletes.every((r) => r.query.get('propagationPolicy') === 'Background'));
});

test('fake API server, not a cluster: labelsOf reads the live labels, undefined when absent', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', '/apis/networking.istio.io/v1/namespaces/demo1/destinationrules/httpbin', () => ({
    status: 200,
    body: {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'httpbin', namespace: 'demo1', labels: { 'casebook.dev/managed-by': 'istio-casebook' } },
      spec: {},
    },
  }));
  const store = createObjectStore(fake.kubeConfig());
  const [deployment, rule] = parseManifest(MANIFEST, 'test.yaml');
  assert.deepEqual(await store.labelsOf(rule!), { 'casebook.dev/managed-by': 'istio-casebook' });
  assert.equal(await store.labelsOf(deployment!), undefined);
});
