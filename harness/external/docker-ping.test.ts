import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { dockerEndpoint, notReachable, pingDocker } from './docker-ping.ts';

const dir = mkdtempSync(join(tmpdir(), 'casebook-docker-ping-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('pingDocker', () => {
  test('DOCKER_HOST forms: unix socket, tcp, default socket', () => {
    assert.deepEqual(dockerEndpoint({}), {
      label: 'unix:///var/run/docker.sock',
      origin: 'http://localhost',
      socketPath: '/var/run/docker.sock',
    });
    assert.deepEqual(dockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }).socketPath, '/run/user/1000/docker.sock');
    assert.equal(dockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }).origin, 'http://10.0.0.5:2375');
  });

  test('an engine answering /_ping OK on a unix socket is reachable', async () => {
    const socketPath = join(dir, 'ok.sock');
    const seen: string[] = [];
    const server = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('OK');
    }).listen(socketPath);
    await new Promise((r) => server.once('listening', r));
    try {
      const ping = await pingDocker({ DOCKER_HOST: `unix://${socketPath}` });
      assert.deepEqual(ping.ok, true);
      assert.deepEqual(seen, ['GET /_ping']);
    } finally {
      server.close();
    }
  });

  test('a missing socket fails at once; a socket that never answers fails within the timeout', async () => {
    const missing = await pingDocker({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.reason, /^ENOENT/);

    const socketPath = join(dir, 'silent.sock');
    const silent = createServer(() => {
      /* accept, never answer */
    }).listen(socketPath);
    await new Promise((r) => silent.once('listening', r));
    try {
      const started = Date.now();
      const hung = await pingDocker({ DOCKER_HOST: `unix://${socketPath}` }, 500);
      assert.equal(hung.ok, false);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    } finally {
      silent.close();
    }
  });

  test('an endpoint that answers something else is not Docker', async () => {
    const socketPath = join(dir, 'other.sock');
    const server = createHttpServer((_req, res) => {
      res.statusCode = 404;
      res.end('nope');
    }).listen(socketPath);
    await new Promise((r) => server.once('listening', r));
    try {
      const ping = await pingDocker({ DOCKER_HOST: `unix://${socketPath}` });
      assert.deepEqual(ping, {
        ok: false,
        endpoint: dockerEndpoint({ DOCKER_HOST: `unix://${socketPath}` }),
        reason: 'the API answered 404 "nope"',
      });
    } finally {
      server.close();
    }
  });
});

test('notReachable names the endpoint and the reason', async () => {
  const ping = await pingDocker({ DOCKER_HOST: 'unix:///nonexistent.sock' });
  assert.ok(!ping.ok);
  assert.match(notReachable(ping), /^Docker is not reachable at unix:\/\/\/nonexistent\.sock \(ENOENT/);
});
