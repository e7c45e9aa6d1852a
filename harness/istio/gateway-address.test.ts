import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrerequisiteError } from '../model/errors.ts';
import { FakeApiServer } from '../kube/testing/fake-api-server.ts';
import { gatewayAddress, kubeGatewayLookup, resolveIngressAddress, type GatewayLookup, type ServiceData } from './gateway-address.ts';

/** Shaped like `kubectl -n istio-system get svc istio-ingressgateway -o json`. */
const gateway = (type: string, nodePorts: [number, number], lb?: { ip?: string; hostname?: string }): ServiceData =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: {
      type,
      ports: [
        { name: 'status-port', port: 15021, nodePort: 30021 },
        { name: 'http2', port: 80, nodePort: nodePorts[0] },
        { name: 'https', port: 443, nodePort: nodePorts[1] },
      ],
    },
    status: { loadBalancer: { ingress: lb ? [lb] : [] } },
  }) as ServiceData;

/** Records which lookups ran. */
function lookup(service: ServiceData | undefined, nodeIp: string | undefined, asked: string[]): GatewayLookup {
  return {
    service: async () => {
      asked.push('service');
      return service;
    },
    nodeIp: async () => {
      asked.push('nodeIp');
      return nodeIp;
    },
  };
}

const kind = { provider: 'kind' as const, ingress: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443, statusPort: 15021 } };
const existing = { provider: 'existing' as const };

test('kind: the host port mapping, after checking the Service has the fixed nodePorts', async () => {
  const asked: string[] = [];
  assert.deepEqual(await gatewayAddress(kind, lookup(gateway('NodePort', [30080, 30443]), '172.18.0.2', asked)), {
    address: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 },
    via: 'kind-port-mapping',
  });
  assert.deepEqual(asked, ['service'], 'kind never needs a node IP');
  const wrong = await gatewayAddress(kind, lookup(gateway('NodePort', [31111, 30443]), undefined, []));
  assert.equal(wrong.address, undefined);
  assert.match((wrong as { problem: string }).problem, /nodePort 31111, but the kind cluster forwards host port 8080 to node port 30080/);
});

test('existing cluster: the LoadBalancer address with the Service ports, without asking for a node', async () => {
  const asked: string[] = [];
  assert.deepEqual(
    await gatewayAddress(existing, lookup(gateway('LoadBalancer', [31000, 32000], { ip: '172.18.255.200' }), '172.18.0.2', asked)),
    { address: { host: '172.18.255.200', httpPort: 80, httpsPort: 443 }, via: 'load-balancer' },
  );
  assert.deepEqual(asked, ['service']);
});

test('existing cluster: NodePort (or a pending LoadBalancer) uses the nodePorts on the node IP the lookup gives', async () => {
  for (const svc of [gateway('NodePort', [31000, 32000]), gateway('LoadBalancer', [31000, 32000])]) {
    const asked: string[] = [];
    assert.deepEqual(await gatewayAddress(existing, lookup(svc, '10.0.0.7', asked)), {
      address: { host: '10.0.0.7', httpPort: 31000, httpsPort: 32000 },
      via: 'node-port',
    });
    assert.deepEqual(asked, ['service', 'nodeIp']);
  }
});

test('existing cluster: no gateway Service, or no way to reach it, is a problem the probes report (not a throw)', async () => {
  const none = await gatewayAddress(existing, lookup(undefined, '10.0.0.7', []));
  assert.deepEqual(none.address, undefined);
  assert.match(
    (none as { problem: string }).problem,
    /^Service istio-system\/istio-ingressgateway was not found \(install the Istio ingress gateway/,
  );
  const noNode = await gatewayAddress(existing, lookup(gateway('ClusterIP', [0, 0]), undefined, []));
  assert.match((noNode as { problem: string }).problem, /type ClusterIP\) has no LoadBalancer address and no node IP/);
  const broken = await gatewayAddress(existing, {
    service: async () => {
      throw new Error('could not read Service: HTTP 403 Forbidden');
    },
    nodeIp: async () => undefined,
  });
  assert.match((broken as { problem: string }).problem, /HTTP 403 Forbidden/);
});

test('existing cluster: an address the user gave wins, and the cluster is not asked', async () => {
  const asked: string[] = [];
  assert.deepEqual(
    await gatewayAddress(
      { provider: 'existing', ingress: { host: 'gw.example.net', httpPort: 80, httpsPort: 443, statusPort: 15021 } },
      lookup(undefined, undefined, asked),
    ),
    { address: { host: 'gw.example.net', httpPort: 80, httpsPort: 443 }, via: 'given' },
  );
  assert.deepEqual(asked, []);
});

test("fake API server, not a cluster: the lookup reads the gateway Service, then the gateway pod's hostIP, else a node InternalIP", async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', '/api/v1/namespaces/istio-system/services/istio-ingressgateway', () => ({
    status: 200,
    body: gateway('NodePort', [31000, 32000]),
  }));
  let gatewayPods: unknown[] = [{ metadata: { name: 'gw-1' }, status: { phase: 'Running', hostIP: '10.0.0.7' } }];
  fake.on('GET', '/api/v1/namespaces/istio-system/pods', () => ({
    status: 200,
    body: { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: gatewayPods },
  }));
  fake.on('GET', '/api/v1/nodes', () => ({
    status: 200,
    body: {
      apiVersion: 'v1',
      kind: 'NodeList',
      metadata: {},
      items: [
        {
          metadata: { name: 'n1' },
          status: {
            addresses: [
              { type: 'Hostname', address: 'n1' },
              { type: 'InternalIP', address: '10.0.0.9' },
            ],
          },
        },
      ],
    },
  }));
  const live = kubeGatewayLookup(fake.kubeConfig());

  assert.deepEqual(await gatewayAddress(existing, live), {
    address: { host: '10.0.0.7', httpPort: 31000, httpsPort: 32000 },
    via: 'node-port',
  });
  assert.equal(
    fake.requests.find((r) => r.path === '/api/v1/namespaces/istio-system/pods')?.query.get('labelSelector'),
    'istio=ingressgateway',
  );
  gatewayPods = [];
  assert.equal(await live.nodeIp(), '10.0.0.9');
});

test('fake API server, not a cluster: a missing gateway Service reads as absent', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  assert.equal(await kubeGatewayLookup(fake.kubeConfig()).service(), undefined);
});

// The pure rule.
/** Shaped like `kubectl get svc -n istio-system istio-ingressgateway -o json` of a default install. */
const defaultGateway = (type: string, nodePorts: [number, number], lb?: { ip?: string; hostname?: string }): ServiceData => ({
  metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
  spec: {
    type,
    ports: [
      { name: 'status-port', port: 15021, nodePort: 30021 },
      { name: 'http2', port: 80, nodePort: nodePorts[0] },
      { name: 'https', port: 443, nodePort: nodePorts[1] },
    ],
  },
  status: { loadBalancer: { ingress: lb ? [lb] : [] } },
});

test('kind: the published host ports on localhost', () => {
  const a = resolveIngressAddress({
    provider: 'kind',
    service: defaultGateway('NodePort', [30080, 30443]),
    hostPorts: { http: 8080, https: 8443 },
    nodePorts: { http: 30080, https: 30443 },
  });
  assert.deepEqual(a, { via: 'kind-port-mapping', host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 });
});

test('kind: a gateway whose nodePorts differ from the mapping is a prerequisite error naming both', () => {
  assert.throws(
    () =>
      resolveIngressAddress({
        provider: 'kind',
        service: defaultGateway('LoadBalancer', [31111, 30443]),
        hostPorts: { http: 8080, https: 8443 },
        nodePorts: { http: 30080, https: 30443 },
      }),
    (e: Error) =>
      e instanceof PrerequisiteError &&
      /istio-system\/istio-ingressgateway has nodePort 31111.*host port 8080 to node port 30080/.test(e.message),
  );
});

test('existing cluster: LoadBalancer address with the Service ports', () => {
  assert.deepEqual(
    resolveIngressAddress({ provider: 'existing', service: defaultGateway('LoadBalancer', [31000, 32000], { ip: '172.18.255.200' }) }),
    { via: 'load-balancer', host: '172.18.255.200', httpPort: 80, httpsPort: 443 },
  );
  assert.deepEqual(
    resolveIngressAddress({ provider: 'existing', service: defaultGateway('LoadBalancer', [31000, 32000], { hostname: 'lb.example.net' }) })
      .host,
    'lb.example.net',
  );
});

test('existing cluster: pending LoadBalancer or NodePort falls back to nodePorts on the node IP', () => {
  assert.deepEqual(
    resolveIngressAddress({ provider: 'existing', service: defaultGateway('LoadBalancer', [31000, 32000]), nodeIp: '172.18.0.2' }),
    { via: 'node-port', host: '172.18.0.2', httpPort: 31000, httpsPort: 32000 },
  );
  assert.throws(
    () => resolveIngressAddress({ provider: 'existing', service: defaultGateway('LoadBalancer', [31000, 32000]) }),
    /no LoadBalancer address and no node IP/,
  );
  assert.throws(() => resolveIngressAddress({ provider: 'existing' }), /was not found/);
});
