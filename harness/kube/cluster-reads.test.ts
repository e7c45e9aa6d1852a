// Request shapes only, against the fake API server: no cluster here, so what a real API server
// answers for these reads is the first real run's to confirm.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { observeKube } from './cluster-reads.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { podJson } from './testing/pod-fixtures.ts';
import { absent, notRestartedSince } from '../checks/kube-checks.ts';

const INGRESS_CLASS = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: 'istio' };
const notFound = {
  status: 404,
  body: {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'NotFound',
    code: 404,
    message: 'ingressclasses.networking.k8s.io "istio" not found',
  },
};

describe('kube probe reads (fake API server)', () => {
  test('object: GET the cluster-scoped IngressClass istio; 404 is "absent", which check.absent() accepts', async () => {
    const api = await new FakeApiServer().start();
    try {
      api.on('GET', '/apis/networking.k8s.io/v1/ingressclasses/istio', () => notFound);
      const o = await observeKube(api.kubeConfig(), { read: 'object', object: INGRESS_CLASS });
      assert.deepEqual(o, { kind: 'kube', read: 'object', object: 'IngressClass istio', exists: false });
      assert.equal(absent().evaluate(o as never).ok, true);
      assert.ok(api.requests.some((r) => r.method === 'GET' && r.path === '/apis/networking.k8s.io/v1/ingressclasses/istio'));
    } finally {
      await api.close();
    }
  });

  test('object: an IngressClass istio that exists (left by --keep, or on an existing cluster) fails check.absent() and says so', async () => {
    const api = await new FakeApiServer().start();
    try {
      api.on('GET', '/apis/networking.k8s.io/v1/ingressclasses/istio', () => ({
        status: 200,
        body: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name: 'istio' },
          spec: { controller: 'istio.io/ingress-controller' },
        },
      }));
      const o = await observeKube(api.kubeConfig(), { read: 'object', object: INGRESS_CLASS });
      assert.equal(o.kind === 'kube' && o.read === 'object' && o.exists, true);
      const r = absent().evaluate(o as never);
      assert.equal(r.ok, false);
      assert.match(r.message, /IngressClass istio not to exist, but it exists/);
    } finally {
      await api.close();
    }
  });

  test('object: a server error is an infrastructure error, never "absent"', async () => {
    const api = await new FakeApiServer().start();
    try {
      api.on('GET', '/apis/networking.k8s.io/v1/ingressclasses/istio', () => ({
        status: 500,
        body: { kind: 'Status', status: 'Failure', code: 500, message: 'etcd down' },
      }));
      await assert.rejects(observeKube(api.kubeConfig(), { read: 'object', object: INGRESS_CLASS }), /could not read IngressClass istio/);
    } finally {
      await api.close();
    }
  });

  const gatewayPod = (started: string, restarts = 0) => {
    const p = podJson({ name: 'istio-ingressgateway-1', app: 'istio-ingressgateway', native: false }) as {
      metadata: Record<string, unknown>;
      status: { startTime?: string; containerStatuses: { restartCount: number; state: { running?: { startedAt: string } } }[] };
    };
    p.metadata['uid'] = 'uid-1';
    p.status.startTime = started;
    for (const c of p.status.containerStatuses) {
      c.restartCount = restarts;
      c.state = { running: { startedAt: started } };
    }
    return p;
  };
  const secret = (changed: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'cred',
      namespace: 'istio-system',
      creationTimestamp: '2026-11-22T10:00:00Z',
      managedFields: [
        { manager: 'istio-casebook', operation: 'Apply', apiVersion: 'v1', time: changed, fieldsType: 'FieldsV1', fieldsV1: {} },
      ],
    },
  });

  test("pods since: lists the selector's pods and reads the Secret's last change; a gateway started before the rotation passes notRestartedSince()", async () => {
    const api = await new FakeApiServer().start();
    try {
      api.on('GET', '/api/v1/namespaces/istio-system/pods', () => ({
        status: 200,
        body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [gatewayPod('2026-11-22T09:00:00Z')] },
      }));
      api.on('GET', '/api/v1/namespaces/istio-system/secrets/cred', () => ({ status: 200, body: secret('2026-11-22T10:30:00Z') }));
      const o = await observeKube(api.kubeConfig(), {
        read: 'pods',
        namespace: 'istio-system',
        selector: 'istio=ingressgateway',
        since: { apiVersion: 'v1', kind: 'Secret', name: 'cred', namespace: 'istio-system' },
      });
      assert.equal(
        api.requests.find((r) => r.path === '/api/v1/namespaces/istio-system/pods')?.query.get('labelSelector'),
        'istio=ingressgateway',
      );
      assert.ok(o.kind === 'kube' && o.read === 'pods');
      assert.deepEqual(o.since, { object: 'Secret istio-system/cred', changedAt: '2026-11-22T10:30:00.000Z' });
      assert.equal(o.pods[0]?.startTime, '2026-11-22T09:00:00.000Z');
      assert.equal(notRestartedSince().evaluate(o as never).ok, true);
    } finally {
      await api.close();
    }
  });

  test('pods since: a gateway replaced or restarted after the rotation fails notRestartedSince(), naming the pod', async () => {
    const api = await new FakeApiServer().start();
    try {
      api.on('GET', '/api/v1/namespaces/istio-system/pods', () => ({
        status: 200,
        body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [gatewayPod('2026-11-22T10:31:00Z', 1)] },
      }));
      api.on('GET', '/api/v1/namespaces/istio-system/secrets/cred', () => ({ status: 200, body: secret('2026-11-22T10:30:00Z') }));
      const o = await observeKube(api.kubeConfig(), {
        read: 'pods',
        namespace: 'istio-system',
        selector: 'istio=ingressgateway',
        since: { apiVersion: 'v1', kind: 'Secret', name: 'cred', namespace: 'istio-system' },
      });
      const r = notRestartedSince().evaluate(o as never);
      assert.equal(r.ok, false);
      assert.match(r.message, /pod istio-ingressgateway-1 started 2026-11-22T10:31:00.000Z/);
    } finally {
      await api.close();
    }
  });
});
