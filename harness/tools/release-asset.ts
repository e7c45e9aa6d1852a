import type { Platform, ToolName } from './platform.ts';

export const GITHUB_BASE = 'https://github.com';

/** Where a tool's release file and its published checksum live, and how to unpack it. */
export type ReleaseAsset = {
  url: string;
  checksumUrl: string;
  /** File name as published (the checksum file names it too). */
  fileName: string;
  format: 'binary' | 'tar.gz';
  /** The executable inside the archive (tar.gz), or the name we store the binary under. */
  binaryName: string;
};

/**
 * kind: hack/release/build/cross.sh builds `kind-${GOOS}-${GOARCH}` (linux/darwin × amd64/arm64)
 * and writes `shasum -a 256 "$f" > "$f".sha256sum` beside each; the site's /dl/v* redirect
 * (site/layouts/index.redirects) points at github.com/kubernetes-sigs/kind/releases/download/v<V>/.
 * Tags carry a `v` (v0.32.0).
 *
 * istioctl: istio/release-builder pkg/build/archive.go createStandaloneIstioctl publishes
 * `istioctl-<V>-<arch>.tar.gz` (arch linux-amd64, linux-arm64, osx-amd64, osx-arm64; the archive
 * holds `istioctl` at its root) and pkg/util/files.go CreateSha writes `<file>.sha256`. Download
 * path as in istio/istio release/downloadIstioCtl.sh; tags have no `v` (1.30.3).
 */
export function releaseAsset(name: ToolName, version: string, platform: Platform, base: string = GITHUB_BASE): ReleaseAsset {
  const root = base.replace(/\/+$/, '');
  if (name === 'kind') {
    const fileName = `kind-${platform.os}-${platform.arch}`;
    const url = `${root}/kubernetes-sigs/kind/releases/download/v${bareVersion(version)}/${fileName}`;
    return { url, checksumUrl: `${url}.sha256sum`, fileName, format: 'binary', binaryName: 'kind' };
  }
  const v = bareVersion(version);
  const fileName = `istioctl-${v}-${platform.os === 'darwin' ? 'osx' : 'linux'}-${platform.arch}.tar.gz`;
  const url = `${root}/istio/istio/releases/download/${v}/${fileName}`;
  return { url, checksumUrl: `${url}.sha256`, fileName, format: 'tar.gz', binaryName: 'istioctl' };
}

/** '0.32.0' for both 'v0.32.0' and '0.32.0'. */
export function bareVersion(version: string): string {
  return version.trim().replace(/^v/, '');
}
