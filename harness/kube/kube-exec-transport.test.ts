import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKubeExecTransport } from './kube-exec-transport.ts';
import { FakeApiServer } from './testing/fake-api-server.ts';
import { podJson, podList } from './testing/pod-fixtures.ts';
import { InfrastructureError } from '../model/errors.ts';

const EXEC_PATH = '/api/v1/namespaces/demo1/pods/curl-new/exec';

async function fakeWithPods(t: { after(fn: () => unknown): void }, opts: { execProtocols?: string[] } = {}) {
  const fake = await new FakeApiServer(opts).start();
  t.after(() => fake.close());
  fake.on('GET', '/api/v1/namespaces/demo1/pods', (req) => {
    assert.equal(req.query.get('labelSelector'), 'app=curl');
    return {
      status: 200,
      body: podList(
        podJson({ name: 'curl-old', app: 'curl', terminating: true, created: '2026-11-22T09:00:00Z' }),
        podJson({ name: 'curl-unready', app: 'curl', sidecarReady: false, created: '2026-11-22T11:00:00Z' }),
        podJson({ name: 'curl-new', app: 'curl', created: '2026-11-22T10:00:00Z' }),
      ),
    };
  });
  return fake;
}

test('fake API server, not a cluster: exec picks the ready pod, speaks v5.channel.k8s.io, wraps the command in timeout, reads exit code 0', async (t) => {
  const fake = await fakeWithPods(t);
  fake.onExec((s) => {
    s.stdout('HTTP/1.1 200 OK\n');
    s.stderr('progress\n');
    s.status({ metadata: {}, status: 'Success' });
    s.close();
  });
  const transport = createKubeExecTransport(fake.kubeConfig());
  const r = await transport.exec({ workload: 'curl', namespace: 'demo1' }, ['curl', '-s', 'http://httpbin:8000/get'], {
    timeoutMs: 20_000,
  });
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'HTTP/1.1 200 OK\n');
  assert.equal(r.stderr, 'progress\n');
  assert.deepEqual(r.command, ['timeout', '20', 'curl', '-s', 'http://httpbin:8000/get']);

  const upgrade = fake.requests.find((q) => q.path === EXEC_PATH);
  assert.ok(upgrade, 'exec went to the ready, newest non-terminating pod curl-new');
  assert.equal(upgrade.headers['sec-websocket-protocol']?.split(/,\s*/)[0], 'v5.channel.k8s.io');
  assert.deepEqual(upgrade.query.getAll('command'), ['timeout', '20', 'curl', '-s', 'http://httpbin:8000/get']);
  assert.equal(upgrade.query.get('container'), 'curl', 'the main container, not istio-proxy');
  assert.equal(upgrade.query.get('stdin'), 'false');
  assert.equal(upgrade.query.get('tty'), 'false');
  assert.equal(upgrade.query.get('stdout'), 'true');
  assert.equal(upgrade.query.get('stderr'), 'true');
});

test('fake API server, not a cluster: a NonZeroExitCode status frame over v4.channel.k8s.io becomes the exit code', async (t) => {
  const fake = await fakeWithPods(t, { execProtocols: ['v4.channel.k8s.io'] });
  let protocol = '';
  fake.onExec((s) => {
    protocol = s.protocol;
    s.stderr('curl: (56) Recv failure: Connection reset by peer\n');
    s.status({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [timeout 60 curl …], exit code 56',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '56' }] },
    });
    s.close();
  });
  const r = await createKubeExecTransport(fake.kubeConfig()).exec({ workload: 'curl', namespace: 'demo1' }, [
    'curl',
    'http://httpbin:8000/',
  ]);
  assert.equal(protocol, 'v4.channel.k8s.io');
  assert.equal(r.exitCode, 56);
  assert.match(r.stderr, /Connection reset by peer/);
});

test('fake API server, not a cluster: exec into istio-proxy when it is a native sidecar init container', async (t) => {
  const fake = await fakeWithPods(t);
  fake.onExec((s) => {
    s.stdout('ok');
    s.status({ metadata: {}, status: 'Success' });
    s.close();
  });
  const r = await createKubeExecTransport(fake.kubeConfig()).exec({ workload: 'curl', namespace: 'demo1', container: 'istio-proxy' }, [
    'pilot-agent',
    'request',
    'GET',
    'stats',
  ]);
  assert.equal(r.exitCode, 0);
  assert.equal(fake.requests.find((q) => q.path === EXEC_PATH)?.query.get('container'), 'istio-proxy');
});

test('fake API server, not a cluster: a container without `timeout` is retried bare; a missing program is exit 127', async (t) => {
  const fake = await fakeWithPods(t);
  const commands: string[][] = [];
  fake.onExec((s) => {
    const argv = s.query.getAll('command');
    commands.push(argv);
    const program = argv[0];
    s.status({
      metadata: {},
      status: 'Failure',
      reason: 'InternalError',
      message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown`,
    });
    s.close();
  });
  const r = await createKubeExecTransport(fake.kubeConfig()).exec({ workload: 'curl', namespace: 'demo1' }, ['telnet', 'mysql', '3306']);
  assert.deepEqual(commands, [
    ['timeout', '60', 'telnet', 'mysql', '3306'],
    ['telnet', 'mysql', '3306'],
  ]);
  assert.equal(r.exitCode, 127);
  assert.deepEqual(r.command, ['telnet', 'mysql', '3306']);
  assert.match(r.stderr, /"telnet": executable file not found/);
});

test('fake API server, not a cluster: a socket that closes without a status frame is an InfrastructureError', async (t) => {
  const fake = await fakeWithPods(t);
  fake.onExec((s) => {
    s.stdout('partial');
    s.close();
  });
  await assert.rejects(
    createKubeExecTransport(fake.kubeConfig()).exec({ workload: 'curl', namespace: 'demo1' }, ['true']),
    (e: unknown) => e instanceof InfrastructureError && /ended without a status frame/.test(e.message),
  );
});

test('fake API server, not a cluster: no status within the deadline is an InfrastructureError (transport timeout)', async (t) => {
  const fake = await fakeWithPods(t);
  fake.onExec((s) => {
    s.stdout('still running');
  });
  const transport = createKubeExecTransport(fake.kubeConfig(), { graceMs: 100 });
  await assert.rejects(
    transport.exec({ workload: 'curl', namespace: 'demo1' }, ['sleep', '100'], { timeoutMs: 200 }),
    (e: unknown) => e instanceof InfrastructureError && /gave no result within/.test(e.message),
  );
});

test('fake API server, not a cluster: no ready pod is an InfrastructureError naming what is not ready', async (t) => {
  const fake = await new FakeApiServer().start();
  t.after(() => fake.close());
  fake.on('GET', '/api/v1/namespaces/demo1/pods', () => ({
    status: 200,
    body: podList(podJson({ name: 'curl-1', app: 'curl', sidecarReady: false })),
  }));
  await assert.rejects(
    createKubeExecTransport(fake.kubeConfig()).exec({ workload: 'curl', namespace: 'demo1' }, ['true']),
    (e: unknown) => {
      assert.ok(e instanceof InfrastructureError);
      assert.match(
        e.message,
        /no ready pod for workload curl in namespace demo1 \(selector app=curl\).*sidecar istio-proxy not ready \(waiting: ImagePullBackOff/,
      );
      return true;
    },
  );
});

test('fake API server, not a cluster: logs reads the container log with sinceSeconds and tailLines', async (t) => {
  const fake = await fakeWithPods(t);
  fake.on('GET', '/api/v1/namespaces/demo1/pods/curl-new/log', () => ({
    status: 200,
    contentType: 'text/plain',
    body: '[2026-11-22T10:00:01.000Z] "GET /get HTTP/1.1" 503 UF upstream_reset_before_response_started\n',
  }));
  const text = await createKubeExecTransport(fake.kubeConfig()).logs(
    { workload: 'curl', namespace: 'demo1', container: 'istio-proxy' },
    { sinceSeconds: 60, tailLines: 200 },
  );
  assert.match(text, /503 UF/);
  const req = fake.requests.find((q) => q.path.endsWith('/log'))!;
  assert.equal(req.query.get('container'), 'istio-proxy');
  assert.equal(req.query.get('sinceSeconds'), '60');
  assert.equal(req.query.get('tailLines'), '200');
});

test('fake API server, not a cluster: logs reads a finished init container (istio-init), which exec cannot enter', async (t) => {
  const fake = await fakeWithPods(t);
  fake.on('GET', '/api/v1/namespaces/demo1/pods/curl-new/log', () => ({
    status: 200,
    contentType: 'text/plain',
    body: '-A ISTIO_INBOUND -p tcp --dport 80 -j ISTIO_IN_REDIRECT\nCOMMIT\n',
  }));
  const transport = createKubeExecTransport(fake.kubeConfig());
  const text = await transport.logs({ workload: 'curl', namespace: 'demo1', container: 'istio-init' });
  assert.match(text, /--dport 80 -j ISTIO_IN_REDIRECT/);
  assert.equal(fake.requests.find((q) => q.path.endsWith('/log'))?.query.get('container'), 'istio-init');
  await assert.rejects(
    transport.exec({ workload: 'curl', namespace: 'demo1', container: 'istio-init' }, ['true']),
    (e: unknown) => e instanceof InfrastructureError && /has no container istio-init/.test(e.message),
  );
  await assert.rejects(
    transport.logs({ workload: 'curl', namespace: 'demo1', container: 'istio-nope' }),
    (e: unknown) => e instanceof InfrastructureError && /has no container istio-nope/.test(e.message),
  );
});
