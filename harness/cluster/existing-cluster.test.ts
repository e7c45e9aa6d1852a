// Unit tests: no cluster. Reads a kubeconfig file from a temp folder; nothing is contacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptExistingCluster } from './existing-cluster.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster: { server: 'https://127.0.0.1:6443' }
users:
- name: me
  user: { token: abc }
contexts:
- name: lab-admin
  context: { cluster: lab, user: me }
current-context: lab-admin
`;

test('existing: adopts the current context, never deletes, manages Istio only when told', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-existing-'));
  const file = join(dir, 'config');
  await writeFile(file, KUBECONFIG);
  const handle = await adoptExistingCluster({ provider: 'existing', runDir: dir, kubeconfig: file, manageIstio: false });
  assert.equal(handle.name, 'lab-admin');
  assert.equal(handle.context, 'lab-admin');
  assert.equal(handle.created, false);
  assert.equal(handle.manageIstio, false);
  assert.equal(handle.ingress, undefined);
  await handle.delete();
  assert.match(handle.cleanupCommand, /delete namespace -l casebook\.dev\/managed-by=istio-casebook/);
  const fromEnv = await adoptExistingCluster({ provider: 'existing', runDir: dir, manageIstio: true }, { KUBECONFIG: `${file}:/other` });
  assert.equal(fromEnv.kubeconfigPath, file);
  assert.equal(fromEnv.manageIstio, true);
});

test('existing: an unknown context or a missing file is a PrerequisiteError that lists what exists', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-existing-'));
  const file = join(dir, 'config');
  await writeFile(file, KUBECONFIG);
  await assert.rejects(
    adoptExistingCluster({ provider: 'existing', runDir: dir, kubeconfig: file, context: 'prod', manageIstio: false }),
    (e: Error) => e.name === 'PrerequisiteError' && e.message.includes('"prod"') && e.message.includes('lab-admin'),
  );
  await assert.rejects(
    adoptExistingCluster({ provider: 'existing', runDir: dir, kubeconfig: join(dir, 'nope'), manageIstio: false }),
    (e: Error) => e.name === 'PrerequisiteError' && /does not exist/.test(e.message),
  );
});

test("the printed cleanup command deletes only this run's namespaces, with the user's path and context quoted", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-existing-'));
  const file = join(dir, 'my config');
  await writeFile(file, KUBECONFIG);
  const handle = await adoptExistingCluster({ provider: 'existing', runDir: dir, kubeconfig: file, manageIstio: false, runId: 'r-42' });
  assert.equal(
    handle.cleanupCommand,
    `kubectl --kubeconfig '${file}' --context ${handle.context} delete namespace -l casebook.dev/run=r-42`,
  );
});
