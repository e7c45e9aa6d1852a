import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeObject, inNamespace, objectKey, parseManifest, withLabels } from './manifest-objects.ts';
import { ScenarioLoadError } from '../model/errors.ts';

test('multi-document YAML parses into plain objects, empty documents skipped, x-kubernetes-* keys kept verbatim', () => {
  const objects = parseManifest(
    `---
apiVersion: v1
kind: Service
metadata: { name: httpbin }
spec: { ports: [{ port: 8000, targetPort: 8080 }] }
---
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: things.example.com }
spec: { versions: [{ name: v1, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }] }
`,
    'x.yaml',
  );
  assert.equal(objects.length, 2);
  assert.deepEqual((objects[1] as any).spec.versions[0].schema.openAPIV3Schema, {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  });
});

test('every broken document is reported at once with its location', () => {
  assert.throws(
    () => parseManifest('kind: Service\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Pod\nmetadata: {}\n---\n[1, 2]\n', 'm.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof ScenarioLoadError);
      assert.deepEqual(e.problems, [
        { location: 'm.yaml#1', message: 'apiVersion is missing' },
        { location: 'm.yaml#2', message: 'Pod has no metadata.name' },
        { location: 'm.yaml#3', message: 'not a Kubernetes object (expected a mapping)' },
      ]);
      return true;
    },
  );
});

test('workload objects are placed in the scenario namespace and labelled, without touching the originals', () => {
  const objects = parseManifest(
    'apiVersion: v1\nkind: Service\nmetadata: { name: curl }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: x }\n',
    'w.yaml',
  );
  const placed = withLabels(inNamespace(objects, 'demo1'), { 'casebook.dev/managed-by': 'istio-casebook' });
  assert.equal(placed[0]!.metadata.namespace, 'demo1');
  assert.equal(placed[1]!.metadata.namespace, undefined, 'Namespace is cluster-scoped');
  const [ingressClass] = inNamespace(
    parseManifest('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: { name: istio }\n', 'c.yaml'),
    'demo1',
  );
  assert.equal(ingressClass!.metadata.namespace, undefined, 'IngressClass is cluster-scoped (the same list validation uses)');
  assert.deepEqual(placed[0]!.metadata.labels, { 'casebook.dev/managed-by': 'istio-casebook' });
  assert.equal(objects[0]!.metadata.namespace, undefined);
  assert.equal(describeObject(placed[0]!), 'Service demo1/curl');
});

test('object identity ignores the API version within a group', () => {
  const [a, b] = parseManifest(
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: r, namespace: n }
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: r, namespace: n }
`,
    'k.yaml',
  );
  assert.equal(objectKey(a!), objectKey(b!));
});
