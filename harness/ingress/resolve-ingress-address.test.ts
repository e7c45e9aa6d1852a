import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrerequisiteError } from '../model/errors.ts';
import { resolveIngressAddress, type ServiceData } from './resolve-ingress-address.ts';

/** Shaped like `kubectl get svc -n istio-system istio-ingressgateway -o json` of a default install. */
const gateway = (type: string, nodePorts: [number, number], lb?: { ip?: string; hostname?: string }): ServiceData => ({
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
    provider: 'kind', service: gateway('NodePort', [30080, 30443]),
    hostPorts: { http: 8080, https: 8443 }, nodePorts: { http: 30080, https: 30443 },
  });
  assert.deepEqual(a, { via: 'kind-port-mapping', host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 });
});

test('kind: a gateway whose nodePorts differ from the mapping is a prerequisite error naming both', () => {
  assert.throws(() => resolveIngressAddress({
    provider: 'kind', service: gateway('LoadBalancer', [31111, 30443]),
    hostPorts: { http: 8080, https: 8443 }, nodePorts: { http: 30080, https: 30443 },
  }), (e: Error) => e instanceof PrerequisiteError && /istio-system\/istio-ingressgateway has nodePort 31111.*host port 8080 to node port 30080/.test(e.message));
});

test('existing cluster: LoadBalancer address with the Service ports', () => {
  assert.deepEqual(resolveIngressAddress({ provider: 'existing', service: gateway('LoadBalancer', [31000, 32000], { ip: '172.18.255.200' }) }),
    { via: 'load-balancer', host: '172.18.255.200', httpPort: 80, httpsPort: 443 });
  assert.deepEqual(resolveIngressAddress({ provider: 'existing', service: gateway('LoadBalancer', [31000, 32000], { hostname: 'lb.example.net' }) }).host,
    'lb.example.net');
});

test('existing cluster: pending LoadBalancer or NodePort falls back to nodePorts on the node IP', () => {
  assert.deepEqual(resolveIngressAddress({ provider: 'existing', service: gateway('LoadBalancer', [31000, 32000]), nodeIp: '172.18.0.2' }),
    { via: 'node-port', host: '172.18.0.2', httpPort: 31000, httpsPort: 32000 });
  assert.throws(() => resolveIngressAddress({ provider: 'existing', service: gateway('LoadBalancer', [31000, 32000]) }),
    /no LoadBalancer address and no node IP/);
  assert.throws(() => resolveIngressAddress({ provider: 'existing' }), /was not found/);
});
