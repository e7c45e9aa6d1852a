import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../kube/manifest-objects.ts';
import { reachingSidecars } from './gateway-scope.ts';

const objects = parseManifest(
  `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw, namespace: shop }
spec: { selector: { istio: ingressgateway }, servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ['*'] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: at-gateway, namespace: shop }
spec: { hosts: ['*'], gateways: [gw], http: [{ route: [{ destination: { host: web } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: no-gateways, namespace: shop }
spec: { hosts: [web], http: [{ route: [{ destination: { host: web } }] }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: also-mesh, namespace: shop }
spec: { hosts: [web], gateways: [gw, mesh], http: [{ route: [{ destination: { host: web } }] }] }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec: { host: web, trafficPolicy: { tls: { mode: SIMPLE } } }
---
apiVersion: v1
kind: Secret
metadata: { name: web-credential, namespace: istio-system }
type: kubernetes.io/tls
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: istio }
spec: { controller: istio.io/ingress-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: to-gateway, namespace: shop }
spec: { parentRefs: [{ name: gw }], rules: [{ backendRefs: [{ name: web, port: 80 }] }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: to-service, namespace: shop }
spec: { parentRefs: [{ group: '', kind: Service, name: web }], rules: [{ backendRefs: [{ name: web, port: 80 }] }] }
`,
  'gateway-scope.test',
);

test('a gateway scenario reaches sidecars with mesh-bound routes and sidecar-wide kinds, not with what stays at the gateway', () => {
  assert.deepEqual(
    reachingSidecars(objects).map((o) => `${o.kind}/${o.metadata.name}`),
    ['VirtualService/no-gateways', 'VirtualService/also-mesh', 'DestinationRule/web', 'HTTPRoute/to-service'],
  );
});
