// Unit tests (no network): release URLs as kind's and istio's release tooling publish them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseAsset } from './release-asset.ts';
import { hostPlatform } from './platform.ts';
import { defaultCacheDir, toolCachePath } from './cache-dir.ts';
import { parseReportedVersion } from './tool-version.ts';
import { parseChecksumFile } from './verified-download.ts';

test('kind asset: v-prefixed tag, bare binary, .sha256sum beside it; os/arch in the name', () => {
  assert.deepEqual(releaseAsset('kind', '0.32.0', { os: 'linux', arch: 'amd64' }), {
    url: 'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
    checksumUrl: 'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64.sha256sum',
    fileName: 'kind-linux-amd64',
    format: 'binary',
    binaryName: 'kind',
  });
  assert.equal(
    releaseAsset('kind', 'v0.32.0', { os: 'darwin', arch: 'arm64' }, 'https://mirror.example/gh/').url,
    'https://mirror.example/gh/kubernetes-sigs/kind/releases/download/v0.32.0/kind-darwin-arm64',
  );
});

test('istioctl asset: bare tag, osx for darwin, tar.gz + .sha256', () => {
  const a = releaseAsset('istioctl', '1.30.3', { os: 'darwin', arch: 'amd64' });
  assert.equal(a.url, 'https://github.com/istio/istio/releases/download/1.30.3/istioctl-1.30.3-osx-amd64.tar.gz');
  assert.equal(a.checksumUrl, `${a.url}.sha256`);
  assert.equal(releaseAsset('istioctl', '1.31.0-rc.0', { os: 'linux', arch: 'arm64' }).fileName, 'istioctl-1.31.0-rc.0-linux-arm64.tar.gz');
});

test('host platform names map Node names to release names; others are refused with a hint', () => {
  assert.deepEqual(hostPlatform('linux', 'x64'), { os: 'linux', arch: 'amd64' });
  assert.deepEqual(hostPlatform('darwin', 'arm64'), { os: 'darwin', arch: 'arm64' });
  assert.throws(
    () => hostPlatform('win32', 'x64'),
    (e: Error) => e.name === 'PrerequisiteError' && /win32\/x64/.test(e.message),
  );
});

test('cache folder honours an absolute XDG_CACHE_HOME and ignores a relative one', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/u'), '/var/cache/me/istio-casebook');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/u'), '/home/u/.cache/istio-casebook');
  assert.equal(defaultCacheDir({}, '/home/u'), '/home/u/.cache/istio-casebook');
  assert.deepEqual(toolCachePath('/c', 'kind', '0.32.0'), { dir: '/c/kind/0.32.0', binary: '/c/kind/0.32.0/kind' });
});

test('version output parsing for both tools', () => {
  assert.equal(parseReportedVersion('kind', 'kind v0.32.0 go1.24.0 linux/amd64\n'), '0.32.0');
  assert.equal(parseReportedVersion('kind', 'kind v0.33.0-alpha.12+abcdef01234567 go1.25 darwin/arm64'), '0.33.0-alpha.12+abcdef01234567');
  assert.equal(parseReportedVersion('istioctl', 'client version: 1.30.3\n'), '1.30.3');
  assert.equal(parseReportedVersion('istioctl', 'something else'), undefined);
});

test('checksum files: one-space (istio) and two-space (shasum) layouts; garbage is a ChecksumError', () => {
  const hex = 'a'.repeat(64);
  assert.equal(parseChecksumFile(`${hex} istioctl-1.30.3-linux-amd64.tar.gz\n`, 'x'), hex);
  assert.equal(parseChecksumFile(`${hex.toUpperCase()}  kind-linux-amd64\n`, 'x'), hex);
  assert.throws(
    () => parseChecksumFile('<html>Not Found</html>', 'u'),
    (e: Error) => e.name === 'ChecksumError' && /checksum/.test(e.message),
  );
});
