import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertPrerequisites, checkRunPrerequisites, MissingPrerequisitesError } from './run-prerequisites.ts';
import type { CommandRunner } from '../tools/command-runner.ts';
import { PrerequisiteError } from '../model/errors.ts';

function recordingRunner(
  answers: Record<string, { exitCode: number; stdout?: string; stderr?: string } | Error>,
  calls: string[],
): CommandRunner {
  return async (file, args) => {
    const key = `${file} ${args.join(' ')}`;
    calls.push(key);
    const hit = Object.entries(answers).find(([prefix]) => key.startsWith(prefix))?.[1];
    if (hit instanceof Error) throw hit;
    return { exitCode: hit?.exitCode ?? 1, stdout: hit?.stdout ?? '', stderr: hit?.stderr ?? '' };
  };
}

test('prerequisites: everything missing is reported at once, each with what was tried', async () => {
  const calls: string[] = [];
  const runner = recordingRunner({ 'docker info': Object.assign(new Error('spawn docker ENOENT'), { code: 'ENOENT' }) }, calls);
  const report = await checkRunPrerequisites({
    cluster: 'kind',
    istio: '1.30.3',
    manageIstio: false,
    runner,
    nodeImage: 'kindest/node:v1.36.1@sha256:abc',
    resolve: async (name, version) => {
      throw new PrerequisiteError(`${name} ${version}: not on PATH, not in the cache, download failed: getaddrinfo ENOTFOUND github.com`);
    },
  });
  assert.deepEqual(
    report.checks.map((c) => [c.what, c.ok]),
    [
      ['Docker engine', false],
      ['kind 0.33.0', false],
      ['kind node image kindest/node:v1.36.1@sha256:abc', false],
      ['istioctl 1.30.3', false],
    ],
  );
  assert.throws(
    () => assertPrerequisites(report),
    (e: unknown) => {
      assert.ok(e instanceof PrerequisiteError && e instanceof MissingPrerequisitesError);
      assert.deepEqual(e.missing, ['Docker engine', 'kind 0.33.0', 'kind node image kindest/node:v1.36.1@sha256:abc', 'istioctl 1.30.3']);
      assert.match(e.message, /^missing for a real run:\n {2}- Docker engine: the docker CLI could not be run: spawn docker ENOENT\n/);
      assert.match(
        e.message,
        /kind 0\.33\.0: kind 0\.33\.0: not on PATH, not in the cache, download failed: getaddrinfo ENOTFOUND github\.com/,
      );
      assert.match(e.message, /kind node image kindest\/node:v1\.36\.1@sha256:abc: not checked: Docker is not reachable/);
      assert.match(e.message, /istioctl 1\.30\.3: /);
      return true;
    },
  );
  assert.deepEqual(calls, ['docker info --format {{.ServerVersion}}']);
});

test('prerequisites: a missing node image is pulled; a failed pull says so', async () => {
  const calls: string[] = [];
  const runner = recordingRunner(
    {
      'docker info': { exitCode: 0, stdout: '20.10.24\n' },
      'docker image inspect': { exitCode: 1, stderr: 'Error: No such image: kindest/node' },
      'docker pull': {
        exitCode: 1,
        stderr: 'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\n',
      },
    },
    calls,
  );
  const report = await checkRunPrerequisites({
    cluster: 'kind',
    istio: '1.30.3',
    manageIstio: false,
    runner,
    nodeImage: 'kindest/node:v1.36.1@sha256:abc',
    resolve: async (name, version) => ({ name, version, path: `/cache/${name}`, source: 'cache' }),
  });
  assert.deepEqual(
    report.checks.map((c) => `${c.what}: ${c.ok ? 'ok' : 'missing'}: ${c.detail}`),
    [
      'Docker engine: ok: server 20.10.24',
      'kind 0.33.0: ok: /cache/kind (cache)',
      'kind node image kindest/node:v1.36.1@sha256:abc: missing: not present, and docker pull failed (exit 1): Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
      'istioctl 1.30.3: ok: /cache/istioctl (cache)',
    ],
  );
  assert.equal(report.kindPath, '/cache/kind');
  assert.deepEqual(calls.slice(1), [
    'docker image inspect --format {{.Id}} kindest/node:v1.36.1@sha256:abc',
    'docker pull kindest/node:v1.36.1@sha256:abc',
  ]);
});

test('prerequisites: an existing cluster without --manage-istio needs neither Docker nor tools', async () => {
  const calls: string[] = [];
  const report = await checkRunPrerequisites({
    cluster: 'existing',
    istio: '1.30.3',
    manageIstio: false,
    runner: recordingRunner({}, calls),
    resolve: async () => {
      throw new Error('not called');
    },
  });
  assert.deepEqual(report.checks, []);
  assert.doesNotThrow(() => assertPrerequisites(report));
  assert.deepEqual(calls, []);
});
