import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { describe, test } from 'node:test';
import { schemaFor } from './schema-lookup.ts';
import { formatPath, traceUnknownFields, type PathSegment } from './trace-unknown-fields.ts';

async function unknownIn(apiVersion: string, kind: string, object: Record<string, unknown>): Promise<string[]> {
  const schema = await schemaFor(apiVersion, kind);
  assert.ok(schema, `no schema for ${apiVersion} ${kind}`);
  const { unknownFields } = traceUnknownFields(
    { apiVersion, kind, ...object },
    (p) => {
      try {
        schema.validate(p);
      } catch {
        /* type errors are not this test's concern */
      }
    },
    { opaquePaths: schema.opaquePaths },
  );
  return unknownFields.map(formatPath);
}

describe('traceUnknownFields on the published validators', () => {
  test('a typo in a DestinationRule is an unknown field at its exact path; known siblings are not', async () => {
    const unknown = await unknownIn('networking.istio.io/v1', 'DestinationRule', {
      metadata: { name: 'httpbin', namespace: 'demo', labels: { 'app.kubernetes.io/name': 'x' }, annotationz: {} },
      spec: {
        host: 'httpbin',
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
          outlierDetection: { consecutiveErrorz: 1, consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '5s' },
          portLevelSettings: [{ port: { number: 8000 } }, { port: { number: 80 }, tlz: {} }],
        },
      },
    });
    assert.deepEqual(unknown.sort(), [
      'metadata.annotationz',
      'spec.trafficPolicy.outlierDetection.consecutiveErrorz',
      'spec.trafficPolicy.portLevelSettings[1].tlz',
    ]);
  });

  test('an object holding only an unknown key is still judged (declared keys were read as absent)', async () => {
    const unknown = await unknownIn('networking.istio.io/v1', 'DestinationRule', {
      metadata: { name: 'a', namespace: 'b' },
      spec: { host: 'h', trafficPolicy: { outlierDetection: { consecutiveErrorz: 1 } } },
    });
    assert.deepEqual(unknown, ['spec.trafficPolicy.outlierDetection.consecutiveErrorz']);
  });

  test('maps (labels, annotations, resources, matchLabels) accept any key; int-or-string accepts both', async () => {
    const unknown = await unknownIn('apps/v1', 'Deployment', {
      metadata: { name: 'httpbin', namespace: 'demo', annotations: { 'sidecar.istio.io/inject': 'true', weird_key: 'v' } },
      spec: {
        replicaz: 2,
        selector: { matchLabels: { app: 'httpbin', 'anything/goes': 'yes' } },
        template: {
          metadata: { labels: { app: 'httpbin', version: 'v1' }, annotations: { 'traffic.sidecar.istio.io/includeInboundPorts': '' } },
          spec: {
            containers: [
              {
                name: 'httpbin',
                image: 'mccutchen/go-httpbin:v2.15.0',
                ports: [{ containerPort: 8080, protocl: 'TCP' }],
                resources: { limits: { cpu: '100m', memory: '64Mi', 'example.com/gpu': '1' } },
                readinessProbe: { httpGet: { port: 'http', path: '/status/200' } },
                livenessProbe: { tcpSocket: { port: 8080 } },
                env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              },
            ],
          },
        },
      },
    });
    assert.deepEqual(unknown.sort(), ['spec.replicaz', 'spec.template.spec.containers[0].ports[0].protocl']);
  });

  test('x-kubernetes-preserve-unknown-fields subtrees are opaque, but their siblings are judged', async () => {
    // EnvoyFilter patch.value is a google.protobuf.Struct: preserve-unknown-fields in Istio's CRD.
    const unknown = await unknownIn('networking.istio.io/v1alpha3', 'EnvoyFilter', {
      metadata: { name: 'f', namespace: 'demo' },
      spec: {
        configPatches: [
          {
            applyTo: 'HTTP_FILTER',
            patch: { operation: 'MERGE', value: { anything: { nested: [1, { deeper: true }] } }, valeu: {} },
          },
        ],
      },
    });
    assert.deepEqual(unknown, ['spec.configPatches[0].patch.valeu']);
    // IstioOperator's spec (CRD of Istio 1.18) is preserve-unknown-fields as a whole; a typo beside it is not.
    const iop = await unknownIn('install.istio.io/v1alpha1', 'IstioOperator', {
      metadata: { name: 'x' },
      spec: { profile: 'demo', meshConfig: { enableAutoMtls: false, anythingElse: 1 } },
      spek: {},
    });
    assert.deepEqual(iop, ['spek']);
  });

  test('counting keys (minProperties) does not make them known; reading each value (a map) does', () => {
    const struct = traceUnknownFields({ a: 1, b: 2 }, (d) => {
      const o = d as Record<string, unknown>;
      if (Object.keys(o).length < 1) throw new Error('minProperties');
      void o['a'];
    });
    assert.deepEqual(struct.unknownFields, [['b']]);
    const map = traceUnknownFields({ labels: { x: 'y', z: 'w' } }, (d) => {
      const labels = (d as { labels: Record<string, unknown> }).labels;
      for (const k in labels) void labels[k];
    });
    assert.deepEqual(map.unknownFields, []);
  });

  test('formatPath quotes keys that are not identifiers', () => {
    assert.equal(formatPath(['metadata', 'annotations', 'sidecar.istio.io/inject']), 'metadata.annotations["sidecar.istio.io/inject"]');
    assert.equal(formatPath(['spec', 'ports', 0, 'name']), 'spec.ports[0].name');
  });
});

/**
 * An independent oracle: @kubernetes/client-node 2.0.1 generates its models from the Kubernetes
 * 1.36 OpenAPI with a different generator. Every field it knows, filled in at every level, must
 * pass as known; a bogus key added beside them at every level must be reported.
 */
describe('cross-check against @kubernetes/client-node models (Kubernetes 1.36)', () => {
  type Attr = { name: string; baseName: string; type: string };
  const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attr[] }>;
  const bogus = 'zzBogusField';

  function build(type: string, depth: number, stack: string[], withBogus: boolean): unknown {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return [build(array[1]!, depth, stack, withBogus)];
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { 'some/key': build(map[1]!, depth, stack, withBogus) };
    switch (type) {
      case 'string':
        return 'x';
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'Date':
        return '2026-01-01T00:00:00Z';
      case 'IntOrString':
        return 'http';
      case 'any':
      case 'object':
        return {};
    }
    const model = models[type];
    if (!model?.getAttributeTypeMap) return {};
    if (stack.includes(type) || depth > 7) return {};
    const out: Record<string, unknown> = {};
    for (const a of model.getAttributeTypeMap()) out[a.baseName] = build(a.type, depth + 1, [...stack, type], withBogus);
    if (withBogus) out[bogus] = 1;
    return out;
  }

  const kinds: [string, string, string][] = [
    ['apps/v1', 'Deployment', 'V1Deployment'],
    ['v1', 'Service', 'V1Service'],
    ['v1', 'ConfigMap', 'V1ConfigMap'],
    ['v1', 'Secret', 'V1Secret'],
    ['v1', 'ServiceAccount', 'V1ServiceAccount'],
    ['networking.k8s.io/v1', 'Ingress', 'V1Ingress'],
    ['networking.k8s.io/v1', 'IngressClass', 'V1IngressClass'],
    ['v1', 'Pod', 'V1Pod'],
  ];
  for (const [apiVersion, kind, model] of kinds) {
    test(`${kind}: every client-node field is known, every bogus key is found`, async () => {
      const full = build(model, 0, [], false) as Record<string, unknown>;
      const clean = await unknownIn(apiVersion, kind, { ...full, apiVersion, kind });
      assert.deepEqual(clean, [], `fields client-node knows but the schema trace called unknown in ${kind}`);

      const withBogus = build(model, 0, [], true) as Record<string, unknown>;
      const found = new Set(await unknownIn(apiVersion, kind, { ...withBogus, apiVersion, kind }));
      const planted: string[] = [];
      const collect = (v: unknown, path: PathSegment[]) => {
        if (Array.isArray(v)) {
          v.forEach((x, i) => collect(x, [...path, i]));
          return;
        }
        if (v === null || typeof v !== 'object') return;
        for (const [k, child] of Object.entries(v)) {
          if (k === bogus) planted.push(formatPath([...path, k]));
          else collect(child, [...path, k]);
        }
      };
      collect(withBogus, []);
      assert.ok(planted.length >= 3, `only ${planted.length} bogus keys planted in ${kind}`);
      const missed = planted.filter((p) => !found.has(p));
      assert.deepEqual(missed, [], `bogus keys not reported in ${kind} (${missed.length} of ${planted.length})`);
    });
  }
});
