// Unit tests: no Docker, no kind. docker and kind are a recording runner; the argv is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preloadImages } from './preload-images.ts';
import { assertPinnedForKind } from './image-ref.ts';
import { collectImages } from './collect-images.ts';
import type { ClusterHandle } from './cluster-handle.ts';
import { cmd, recordingRunner } from '../tools/testing/recording-runner.ts';

const kindHandle: ClusterHandle = {
  provider: 'kind',
  name: 'cb',
  kubeconfigPath: '/r/kubeconfig',
  created: true,
  manageIstio: true,
  kindPath: '/opt/kind',
  cleanupCommand: 'kind delete cluster --name cb',
  delete: async () => {},
};

test('preload: pulls only what the host lacks, then loads all images in one kind call', async () => {
  const runner = recordingRunner([
    {
      match: (f, a) => f === 'docker' && a[0] === 'image' && a.at(-1) === 'curlimages/curl:8.16.0',
      result: { exitCode: 0, stdout: 'sha256:1' },
    },
    { match: cmd('docker', 'image', 'inspect'), result: { exitCode: 1, stderr: 'Error: No such image' } },
    { match: cmd('docker', 'pull'), result: {} },
    { match: cmd('/opt/kind', 'load'), result: {} },
  ]);
  const result = await preloadImages({
    cluster: kindHandle,
    images: ['curlimages/curl:8.16.0', 'mccutchen/go-httpbin:v2.15.0', 'curlimages/curl:8.16.0'],
    runner,
  });
  assert.deepEqual(result, {
    loaded: ['curlimages/curl:8.16.0', 'mccutchen/go-httpbin:v2.15.0'],
    pulled: ['mccutchen/go-httpbin:v2.15.0'],
  });
  assert.deepEqual(
    runner.calls.map((c) => [c.file, ...c.args]),
    [
      ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'curlimages/curl:8.16.0'],
      ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'mccutchen/go-httpbin:v2.15.0'],
      ['docker', 'pull', 'mccutchen/go-httpbin:v2.15.0'],
      ['/opt/kind', 'load', 'docker-image', 'curlimages/curl:8.16.0', 'mccutchen/go-httpbin:v2.15.0', '--name', 'cb'],
    ],
  );
});

test('preload: latest, untagged and digest references are refused before anything runs', async () => {
  for (const bad of ['nginx', 'nginx:latest', 'localhost:5000/app', 'fortio/fortio@sha256:' + 'a'.repeat(64)]) {
    assert.throws(
      () => assertPinnedForKind(bad),
      (e: Error) => e.name === 'UsageError' && e.message.includes(bad),
      bad,
    );
  }
  assert.doesNotThrow(() => assertPinnedForKind('localhost:5000/app:1.2'));
  const runner = recordingRunner([]);
  await assert.rejects(preloadImages({ cluster: kindHandle, images: ['ok:1', 'busybox:latest'], runner }), /busybox:latest/);
  assert.equal(runner.calls.length, 0);
});

test('preload: an existing cluster is skipped with a reason (its nodes pull for themselves)', async () => {
  const runner = recordingRunner([]);
  const r = await preloadImages({ cluster: { ...kindHandle, provider: 'existing' }, images: ['a:1'], runner });
  assert.deepEqual(r.loaded, []);
  assert.match(r.skipped ?? '', /not a kind cluster/);
});

test('collectImages reads containers and initContainers from every workload manifest, once each, sorted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-workloads-'));
  await writeFile(
    join(dir, 'a.yaml'),
    `apiVersion: v1
kind: Service
metadata: { name: a }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: a }
spec:
  template:
    spec:
      initContainers: [{ name: init, image: 'busybox:1.36' }]
      containers: [{ name: a, image: 'curlimages/curl:8.16.0' }]
`,
  );
  await writeFile(
    join(dir, 'b.yml'),
    `kind: Pod
spec: { containers: [{ name: b, image: 'curlimages/curl:8.16.0' }] }
`,
  );
  await writeFile(join(dir, 'notes.txt'), 'image: ignored:1');
  assert.deepEqual(await collectImages(dir), ['busybox:1.36', 'curlimages/curl:8.16.0']);
  assert.deepEqual(await collectImages(join(dir, 'missing')), []);
});
