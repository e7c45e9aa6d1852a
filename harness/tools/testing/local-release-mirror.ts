import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { releaseAsset } from '../release-asset.ts';
import type { Platform } from '../platform.ts';

/**
 * Test support: a local HTTP server that serves kind and istioctl release files under the same
 * paths as https://github.com, the way an air-gapped mirror would. The "binaries" are small shell
 * scripts that print the version the real tool would print, so the resolver's version check runs
 * them for real. Release files can be published with a wrong checksum to test the refusal.
 */
export type MirrorRelease = { tool: 'kind' | 'istioctl'; version: string; corruptChecksum?: boolean };

export type LocalReleaseMirror = {
  url: string;
  requests: string[];
  /** Serves another file for a release, with a matching published checksum (a re-published or tampered release). */
  republish(tool: 'kind' | 'istioctl', version: string, body: Buffer): void;
  close(): Promise<void>;
};

export function fakeToolScript(tool: 'kind' | 'istioctl', version: string): string {
  return tool === 'kind' ? `#!/bin/sh\necho "kind v${version} go1.24.0 linux/amd64"\n` : `#!/bin/sh\necho "client version: ${version}"\n`;
}

export async function startLocalReleaseMirror(
  releases: MirrorRelease[],
  platform: Platform = { os: 'linux', arch: 'amd64' },
): Promise<LocalReleaseMirror> {
  const files = new Map<string, Buffer>();
  const work = await mkdtemp(join(tmpdir(), 'casebook-mirror-'));
  try {
    for (const release of releases) {
      const asset = releaseAsset(release.tool, release.version, platform, '');
      let body: Buffer;
      if (asset.format === 'tar.gz') {
        const dir = join(work, `${release.tool}-${release.version}`);
        await mkdir(dir);
        await writeFile(join(dir, 'istioctl'), fakeToolScript('istioctl', release.version));
        await chmod(join(dir, 'istioctl'), 0o755);
        const archive = join(work, asset.fileName);
        await tar.c({ gzip: true, file: archive, cwd: dir }, ['istioctl']);
        body = await readFile(archive);
      } else {
        body = Buffer.from(fakeToolScript('kind', release.version));
      }
      const digest = createHash('sha256')
        .update(release.corruptChecksum ? Buffer.concat([body, Buffer.from('x')]) : body)
        .digest('hex');
      // Same layouts as upstream: istio writes "<hex> <name>", kind's shasum writes "<hex>  <name>".
      const sumLine = release.tool === 'kind' ? `${digest}  ${asset.fileName}\n` : `${digest} ${asset.fileName}\n`;
      files.set(asset.url, body);
      files.set(asset.checksumUrl, Buffer.from(sumLine));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    // GitHub redirects release downloads to its object store; do the same to exercise redirects.
    if (!path.startsWith('/objects/') && path.includes('/releases/download/')) {
      res.writeHead(302, { location: `/objects${path}` }).end();
      return;
    }
    const body = files.get(path.replace(/^\/objects/, ''));
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mirror did not bind a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    republish(tool, version, body) {
      const asset = releaseAsset(tool, version, platform, '');
      files.set(asset.url, body);
      files.set(asset.checksumUrl, Buffer.from(`${createHash('sha256').update(body).digest('hex')}  ${asset.fileName}\n`));
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
