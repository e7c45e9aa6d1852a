// Unit tests: the install record's ConfigMap shape, no cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeIstioApi, recordConfigMap, recordFrom } from './install-store.ts';
import { FakeApiServer } from '../kube/testing/fake-api-server.ts';
import { PrerequisiteError } from '../model/errors.ts';
import { loadMeshProfile } from './mesh-profile.ts';

test('install record: labelled as ours in istio-system, round-trips through its annotations', () => {
  const cm = recordConfigMap({ hash: 'abcd', version: '1.30.3', profile: 'casebook-demo' }, { kind: 'IstioOperator' });
  assert.equal(cm.metadata?.name, 'casebook-install');
  assert.equal(cm.metadata?.namespace, 'istio-system');
  assert.deepEqual(cm.metadata?.labels, { 'casebook.dev/managed-by': 'istio-casebook' });
  assert.equal(cm.data?.['istio-operator.yaml'], 'kind: IstioOperator\n');
  assert.deepEqual(recordFrom(cm), { hash: 'abcd', version: '1.30.3', profile: 'casebook-demo' });
  assert.equal(
    recordFrom({ ...cm, metadata: { ...cm.metadata, labels: {} } }),
    undefined,
    'a ConfigMap not labelled as ours is not our record',
  );
});

test('mesh profile: read from manifests/mesh/<profile>.yaml; missing or not an IstioOperator is a PrerequisiteError', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-mesh-'));
  await writeFile(join(dir, 'p.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: { profile: default }\n');
  await writeFile(join(dir, 'bad.yaml'), 'kind: ConfigMap\n');
  assert.deepEqual(await loadMeshProfile('p', dir), {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    spec: { profile: 'default' },
  });
  await assert.rejects(loadMeshProfile('bad', dir), /not an IstioOperator/);
  await assert.rejects(loadMeshProfile('missing', dir), (e: Error) => e.name === 'PrerequisiteError' && e.message.includes('missing.yaml'));
  await assert.rejects(loadMeshProfile('../etc/passwd', dir), /not a file name/);
});

const NOT_FOUND = { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 } };
const CM_PATH = '/api/v1/namespaces/istio-system/configmaps/casebook-install';
const someoneElses = {
  status: 200,
  body: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'casebook-install', namespace: 'istio-system', uid: 'u1', resourceVersion: '7', labels: { team: 'mesh' } },
    data: { x: 'theirs' },
  },
};

test('fake API server, not a cluster: the install record ConfigMap without our label is neither replaced nor deleted', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', CM_PATH, () => someoneElses);
  fake.on('POST', '/api/v1/namespaces/istio-system/configmaps', () => ({
    status: 409,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409 },
  }));
  const api = kubeIstioApi(fake.kubeConfig());
  const record = { hash: 'h', version: '1.32.0', profile: 'casebook-demo' };
  await assert.rejects(
    api.writeRecord(record, {}),
    (e: unknown) =>
      e instanceof PrerequisiteError &&
      /without the label casebook\.dev\/managed-by=istio-casebook: it is not ours, so the casebook will not replace it/.test(
        (e as Error).message,
      ),
  );
  await assert.rejects(
    api.deleteRecord(),
    (e: unknown) => e instanceof PrerequisiteError && /will not delete it/.test((e as Error).message),
  );
  assert.deepEqual(
    fake.requests.filter((r) => r.method === 'PUT' || r.method === 'DELETE'),
    [],
    'no replace or delete reached the server',
  );
});

test('fake API server, not a cluster: our own record is replaced and deleted with the version read (preconditions)', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  let gone = false;
  const ours = {
    ...someoneElses,
    body: { ...someoneElses.body, metadata: { ...someoneElses.body.metadata, labels: { 'casebook.dev/managed-by': 'istio-casebook' } } },
  };
  fake.on('GET', CM_PATH, () => (gone ? NOT_FOUND : ours));
  fake.on('POST', '/api/v1/namespaces/istio-system/configmaps', () => ({
    status: 409,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409 },
  }));
  fake.on('PUT', CM_PATH, (req) => ({ status: 200, body: JSON.parse(req.body) }));
  fake.on('DELETE', CM_PATH, () => {
    gone = true;
    return { status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } };
  });
  const api = kubeIstioApi(fake.kubeConfig());
  await api.writeRecord({ hash: 'h', version: '1.32.0', profile: 'casebook-demo' }, {});
  assert.equal(JSON.parse(fake.requests.find((r) => r.method === 'PUT')!.body).metadata.resourceVersion, '7');
  await api.deleteRecord();
  assert.deepEqual(JSON.parse(fake.requests.find((r) => r.method === 'DELETE')!.body).preconditions, { uid: 'u1', resourceVersion: '7' });
  await api.deleteRecord();
  assert.equal(fake.requests.filter((r) => r.method === 'DELETE').length, 1, 'an absent record is not deleted again');
});
