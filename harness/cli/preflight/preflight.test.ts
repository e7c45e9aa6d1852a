import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { portFree } from './free-port.ts';
import { kubeconfigPath } from './kubeconfig-path.ts';

test('portFree tells a bound port from a free one', async () => {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    assert.deepEqual(await portFree(port), { free: false, code: 'EADDRINUSE' });
  } finally {
    await new Promise((r) => server.close(r));
  }
  assert.deepEqual(await portFree(port), { free: true });
});

test('kubeconfigPath: flag, then $KUBECONFIG first entry, then ~/.kube/config', () => {
  assert.deepEqual(kubeconfigPath('/a', { KUBECONFIG: '/b' }, '/home/u'), { path: '/a', from: '--kubeconfig' });
  assert.deepEqual(kubeconfigPath(undefined, { KUBECONFIG: ':/b:/c' }, '/home/u'), { path: '/b', from: '$KUBECONFIG' });
  assert.deepEqual(kubeconfigPath(undefined, {}, '/home/u'), { path: '/home/u/.kube/config', from: 'default' });
});
