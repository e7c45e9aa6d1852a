import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatProblem, validateManifestText, type NamespaceRule } from './validate-manifest.ts';

const required: NamespaceRule = { mode: 'required', allowed: ['demo', 'istio-system'] };
const lines = async (text: string, rule: NamespaceRule = required) =>
  (await validateManifestText('manifests/x.yaml', text, rule)).map(formatProblem);

describe('validateManifestText', () => {
  test('a typo names file, document, object and field', async () => {
    const out = await lines(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: demo }
spec:
  host: httpbin
  trafficPolicy:
    outlierDetection: { consecutiveErrorz: 1, interval: 1s }
`);
    assert.deepEqual(out, [
      'manifests/x.yaml#1: DestinationRule demo/httpbin: spec.trafficPolicy.outlierDetection.consecutiveErrorz: unknown field (not in the DestinationRule schema of @kubernetes-models/istio 3.0.1)',
    ]);
  });

  test('types, enums and required fields come from the schema, with their paths', async () => {
    const out = await lines(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: demo }
spec:
  trafficPolicy:
    tls: { mode: ISTIO_MUTUALL }
    connectionPool: { tcp: { maxConnections: many } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: demo }
spec:
  replicas: two
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [ { image: nginx } ] } }
`);
    assert.ok(out.includes('manifests/x.yaml#1: DestinationRule demo/httpbin: spec.host: required field missing'), out.join('\n'));
    assert.ok(
      out.includes(
        'manifests/x.yaml#1: DestinationRule demo/httpbin: spec.trafficPolicy.tls.mode: must be one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"',
      ),
      out.join('\n'),
    );
    assert.ok(
      out.some((l) =>
        l.startsWith(
          'manifests/x.yaml#1: DestinationRule demo/httpbin: spec.trafficPolicy.connectionPool.tcp.maxConnections: must be integer',
        ),
      ),
      out.join('\n'),
    );
    assert.ok(out.includes('manifests/x.yaml#2: Deployment demo/web: spec.replicas: must be integer'), out.join('\n'));
    assert.ok(
      out.includes('manifests/x.yaml#2: Deployment demo/web: spec.template.spec.containers[0].name: required field missing'),
      out.join('\n'),
    );
  });

  test('realistic Istio and Kubernetes objects pass without false unknown fields', async () => {
    const out = await lines(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: httpbin, namespace: demo }
spec:
  hosts: [httpbin.example.com]
  gateways: [istio-system/httpbin-gateway]
  http:
  - match: [{ uri: { prefix: /status } }, { uri: { prefix: /delay } }]
    route: [{ destination: { host: httpbin, port: { number: 8000 }, subset: v1 }, weight: 100 }]
    retries: { attempts: 2, perTryTimeout: 2s, retryOn: connect-failure }
    timeout: 5s
  tls:
  - match: [{ port: 443, sniHosts: [nginx.example.com] }]
    route: [{ destination: { host: nginx, port: { number: 443 } } }]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: httpbin-gateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 443, name: https, protocol: HTTPS }
    hosts: ['*']
    tls: { mode: SIMPLE, credentialName: httpbin-credential }
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: traefik, namespace: demo }
spec:
  hosts: [traefik.cutom-name]
  addresses: ['\${service.abc/traefik.clusterIP}']
  ports: [{ number: 443, name: tls, protocol: TLS }]
  resolution: DNS
  location: MESH_INTERNAL
  endpoints: [{ address: traefik.abc }]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: demo }
spec:
  egress: [{ hosts: ['./*', istio-system/*] }]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT }, portLevelMtls: { '8080': { mode: PERMISSIVE } }, selector: { matchLabels: { app: x } } }
---
apiVersion: v1
kind: Secret
metadata: { name: httpbin-credential, namespace: istio-system }
type: kubernetes.io/tls
stringData: { tls.crt: x, tls.key: y }
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: istio }
spec: { controller: istio.io/ingress-controller }
`);
    assert.deepEqual(out, []);
  });

  test('placeholders inside strings validate as type-correct dummies', async () => {
    const out = await lines(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: site, namespace: demo }
spec:
  hosts: [site-a.test]
  addresses: ['\${external.site-a.ip}/32']
  ports: [{ number: 443, name: tls, protocol: TLS }]
  resolution: STATIC
  endpoints: [{ address: '\${external.site-a.ip}' }]
`);
    assert.deepEqual(out, []);
  });

  test('namespace rules: required in scenario manifests, forbidden in shared workloads', async () => {
    const svc = (ns?: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: { name: s${ns ? `, namespace: ${ns}` : ''} }\nspec: { ports: [{ port: 80 }] }\n`;
    assert.deepEqual(await lines(svc()), [
      'manifests/x.yaml#1: Service s: metadata.namespace: required: scenario and mesh manifests name the namespace of every namespaced object',
    ]);
    assert.deepEqual(await lines(svc('other')), [
      "manifests/x.yaml#1: Service other/s: metadata.namespace: namespace 'other' is not one of this scenario's namespaces (demo, istio-system)",
    ]);
    assert.deepEqual(await lines(svc('demo')), []);
    assert.deepEqual(await lines(svc(), { mode: 'forbidden' }), []);
    assert.match((await lines(svc('demo'), { mode: 'forbidden' }))[0]!, /shared workload manifests set no namespace/);
    assert.match(
      (await lines('apiVersion: v1\nkind: Namespace\nmetadata: { name: demo }\n'))[0]!,
      /the runner creates and labels namespaces itself/,
    );
    assert.match(
      (await lines('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: i, namespace: demo }\nspec: {}\n'))[0]!,
      /IngressClass is cluster-scoped: remove metadata.namespace/,
    );
    assert.deepEqual(
      await lines('apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: { profile: demo }\nmetadata: { name: x }\n'),
      [],
    );
  });

  test('YAML errors, unknown kinds and missing names are problems, and every document is checked', async () => {
    const out = await lines(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: demo }
---
apiVersion: v1
kind: ConfigMap
metadata: { namespace: demo }
data: { a: b }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: c, namespace: demo }
data: { a: b
---
just a string
---
`);
    assert.equal(
      out[0],
      'manifests/x.yaml#1: HTTPRoute demo/r: apiVersion: no published schema for gateway.networking.k8s.io/v1 HTTPRoute: use a Kubernetes built-in or an Istio CRD version we validate (networking.istio.io/v1, security.istio.io/v1, …)',
    );
    assert.equal(out[1], 'manifests/x.yaml#2: ConfigMap demo/<no name>: metadata.name: required: every object we apply has a name');
    assert.match(
      out[2]!,
      /^manifests\/x\.yaml#3: YAML error at line 14, column 1: Flow map in block collection must be sufficiently indented and end with a }$/,
    );
    assert.ok(
      out.includes('manifests/x.yaml#4: a manifest document must be a Kubernetes object (a mapping with apiVersion and kind)'),
      out.join('\n'),
    );
  });
});
