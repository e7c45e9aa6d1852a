import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { formatProblem } from './validate-manifest.ts';
import { ruleFor, validateManifests } from './validate-manifests.ts';

const scenario = { id: 'demo-case', workloads: [{ name: 'curl', namespace: 'demo1' }] } as unknown as ScenarioDefinition;
const root = mkdtempSync(join(tmpdir(), 'casebook-manifests-'));
after(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

test('each folder gets its namespace rule', () => {
  assert.deepEqual(ruleFor('manifests/workloads/curl.yaml', [scenario]), { mode: 'forbidden' });
  assert.deepEqual(ruleFor('manifests/scenarios/demo-case/broken/dr.yaml', [scenario]), {
    mode: 'required',
    allowed: ['demo1', 'istio-system'],
  });
  assert.deepEqual(ruleFor('manifests/scenarios/nobody/broken/dr.yaml', [scenario]), { unknownScenario: 'nobody' });
  assert.deepEqual(ruleFor('manifests/mesh/strict-mtls.yaml', [scenario]), { mode: 'required' });
});

test('every YAML file under manifests/ is validated with its folder rule', async () => {
  write('manifests/workloads/curl.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: curl, namespace: demo1 }\n');
  write(
    'manifests/scenarios/demo-case/broken/dr.yml',
    'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: { name: d, namespace: demo1 }\nspec: { host: h, hots: x }\n',
  );
  write('manifests/scenarios/nobody/fixed/x.yaml', 'a: 1\n');
  write(
    'manifests/mesh/strict-mtls.yaml',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }\n',
  );
  write('manifests/README.md', 'not yaml\n');
  const { files, problems } = await validateManifests(root, [scenario]);
  assert.equal(files, 4);
  assert.deepEqual(problems.map(formatProblem), [
    'manifests/scenarios/demo-case/broken/dr.yml#1: DestinationRule demo1/d: spec.hots: unknown field (not in the DestinationRule schema of @kubernetes-models/istio 3.0.1)',
    "manifests/scenarios/nobody/: belongs to no registered scenario (no 'nobody' in scenarios/index.ts)",
    'manifests/scenarios/nobody/fixed/x.yaml#1: missing apiVersion or kind',
    'manifests/workloads/curl.yaml#1: ServiceAccount demo1/curl: metadata.namespace: shared workload manifests set no namespace: the runner applies them in the namespace the scenario names (WorkloadRef.namespace)',
  ]);
});
