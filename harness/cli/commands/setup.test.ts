// Unit tests: no internet, no cluster. `casebook setup` runs on a bare commander program against a
// local HTTP mirror on 127.0.0.1 (fake release files under GitHub's paths); docker is a recording runner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerSetupCommand, parseVersions } from './setup.ts';
import { startLocalReleaseMirror, type LocalReleaseMirror } from '../../tools/testing/local-release-mirror.ts';
import { cmd, recordingRunner } from '../../tools/testing/recording-runner.ts';
import { hostPlatform } from '../../tools/platform.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from '../../tools/versions.ts';

let mirror: LocalReleaseMirror;
let scratch: string;
before(async () => {
  mirror = await startLocalReleaseMirror(
    [
      { tool: 'kind', version: KIND_VERSION },
      { tool: 'istioctl', version: '1.30.3' },
      { tool: 'istioctl', version: '1.29.6', corruptChecksum: true },
    ],
    hostPlatform(),
  );
  scratch = await mkdtemp(join(tmpdir(), 'casebook-setup-'));
});
after(async () => {
  await mirror.close();
  await rm(scratch, { recursive: true, force: true });
});

function program(deps: Parameters<typeof registerSetupCommand>[1]): Command {
  const p = new Command('casebook').exitOverride();
  registerSetupCommand(p, deps);
  return p;
}

test('setup --mirror <local> downloads and verifies kind and istioctl into the cache', async () => {
  const cacheDir = await mkdtemp(join(scratch, 'cache-'));
  const lines: string[] = [];
  await program({
    out: (l) => lines.push(l),
    tty: false,
    env: { PATH: '', CASEBOOK_LOCK_FILE: join(scratch, 'setup.lock.json') },
  }).parseAsync(['setup', '--istio', '1.30.3', '--mirror', mirror.url, '--cache-dir', cacheDir, '--no-images'], { from: 'user' });
  assert.deepEqual((await readdir(cacheDir, { recursive: true })).map(String).sort(), [
    'istioctl',
    'istioctl/1.30.3',
    'istioctl/1.30.3/istioctl',
    'kind',
    `kind/${KIND_VERSION}`,
    `kind/${KIND_VERSION}/kind`,
  ]);
  assert.ok(
    lines.includes(`kind ${KIND_VERSION}: ${join(cacheDir, 'kind', KIND_VERSION, 'kind')} (downloaded, sha256 verified)`),
    lines.join('\n'),
  );
  assert.equal(lines.at(-1), `setup done: kind ${KIND_VERSION}, istioctl 1.30.3`);

  const again: string[] = [];
  await program({
    out: (l) => again.push(l),
    tty: false,
    env: { PATH: '', CASEBOOK_LOCK_FILE: join(scratch, 'setup.lock.json') },
  }).parseAsync(['setup', '--istio', '1.30.3', '--mirror', mirror.url, '--cache-dir', cacheDir, '--no-images'], { from: 'user' });
  assert.ok(
    again.some((l) => l.startsWith('istioctl 1.30.3:') && l.endsWith('(already cached)')),
    again.join('\n'),
  );
});

test('setup refuses a release whose checksum does not match: ChecksumError, "checksum" in the message, nothing cached', async () => {
  const cacheDir = await mkdtemp(join(scratch, 'cache-'));
  await assert.rejects(
    program({ out: () => {}, tty: false, env: { PATH: '', CASEBOOK_LOCK_FILE: join(scratch, 'setup.lock.json') } }).parseAsync(
      ['setup', '--istio', '1.29.6', '--mirror', mirror.url, '--cache-dir', cacheDir, '--no-images'],
      { from: 'user' },
    ),
    (e: Error) => e.name === 'ChecksumError' && /checksum/.test(e.message) && e.message.includes('istioctl-1.29.6-'),
  );
  const left = (await readdir(cacheDir, { recursive: true })).map(String).sort();
  assert.deepEqual(
    left.filter((p) => p.startsWith('istioctl')),
    [],
    'no istioctl in the cache',
  );
  assert.ok(!left.some((p) => p.includes('.download-')), 'no staging leftovers');
});

test('setup pulls the kind node image and every workload image when Docker answers, and only what is missing', async () => {
  const cacheDir = await mkdtemp(join(scratch, 'cache-'));
  const workloads = await mkdtemp(join(scratch, 'workloads-'));
  await writeFile(
    join(workloads, 'curl.yaml'),
    'kind: Deployment\nspec: { template: { spec: { containers: [{ name: c, image: "curlimages/curl:8.16.0" }] } } }\n',
  );
  const runner = recordingRunner([
    { match: cmd('docker', 'info'), result: { stdout: '20.10.24' } },
    { match: (f, a) => f === 'docker' && a[1] === 'inspect' && a.at(-1) === KIND_NODE_IMAGE, result: { stdout: 'sha256:x' } },
    { match: cmd('docker', 'image', 'inspect'), result: { exitCode: 1 } },
    { match: cmd('docker', 'pull'), result: {} },
  ]);
  const lines: string[] = [];
  await program({
    out: (l) => lines.push(l),
    tty: false,
    env: { PATH: '', CASEBOOK_LOCK_FILE: join(scratch, 'setup.lock.json') },
    runner,
    workloadsDir: workloads,
  }).parseAsync(['setup', '--istio', '1.30.3', '--mirror', mirror.url, '--cache-dir', cacheDir], { from: 'user' });
  assert.deepEqual(
    runner.calls.filter((c) => c.args[0] === 'pull').map((c) => c.args),
    [['pull', 'curlimages/curl:8.16.0']],
  );
  assert.ok(lines.includes('container images: 2 image(s) present, 1 pulled'), lines.join('\n'));
});

test('setup without Docker still fills the cache and says why images were not pulled', async () => {
  const cacheDir = await mkdtemp(join(scratch, 'cache-'));
  const runner = recordingRunner([
    { match: cmd('docker', 'info'), result: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } },
  ]);
  const lines: string[] = [];
  await program({
    out: (l) => lines.push(l),
    tty: false,
    env: { PATH: '', CASEBOOK_LOCK_FILE: join(scratch, 'setup.lock.json') },
    runner,
  }).parseAsync(['setup', '--istio', '1.30.3', '--mirror', mirror.url, '--cache-dir', cacheDir], { from: 'user' });
  assert.ok(
    lines.some((l) => l.startsWith('container images: Docker is not reachable')),
    lines.join('\n'),
  );
});

test('--istio parsing: tags without v, comma-separated, de-duplicated; anything else is a UsageError', () => {
  assert.deepEqual(parseVersions('1.30.3, 1.31.0-rc.0,1.30.3'), ['1.30.3', '1.31.0-rc.0']);
  for (const bad of ['v1.30.3', '1.30', 'latest', ',']) {
    assert.throws(
      () => parseVersions(bad),
      (e: Error) => e.name === 'UsageError',
      bad,
    );
  }
});
