// Unit tests: the install record's ConfigMap shape, no cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordConfigMap, recordFrom } from './install-store.ts';
import { loadMeshProfile } from './mesh-profile.ts';

test('install record: labelled as ours in istio-system, round-trips through its annotations', () => {
  const cm = recordConfigMap({ hash: 'abcd', version: '1.30.3', profile: 'casebook-demo' }, { kind: 'IstioOperator' });
  assert.equal(cm.metadata?.name, 'casebook-install');
  assert.equal(cm.metadata?.namespace, 'istio-system');
  assert.deepEqual(cm.metadata?.labels, { 'casebook.dev/managed-by': 'istio-casebook' });
  assert.equal(cm.data?.['istio-operator.yaml'], 'kind: IstioOperator\n');
  assert.deepEqual(recordFrom(cm), { hash: 'abcd', version: '1.30.3', profile: 'casebook-demo' });
  assert.equal(recordFrom({ ...cm, metadata: { ...cm.metadata, labels: {} } }), undefined, 'a ConfigMap not labelled as ours is not our record');
});

test('mesh profile: read from manifests/mesh/<profile>.yaml; missing or not an IstioOperator is a PrerequisiteError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-mesh-'));
  await writeFile(join(dir, 'p.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: { profile: default }\n');
  await writeFile(join(dir, 'bad.yaml'), 'kind: ConfigMap\n');
  assert.deepEqual(await loadMeshProfile('p', dir), { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: { profile: 'default' } });
  await assert.rejects(loadMeshProfile('bad', dir), /not an IstioOperator/);
  await assert.rejects(loadMeshProfile('missing', dir), (e: Error) => e.name === 'PrerequisiteError' && e.message.includes('missing.yaml'));
  await assert.rejects(loadMeshProfile('../etc/passwd', dir), /not a file name/);
});
