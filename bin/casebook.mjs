#!/usr/bin/env node
/* global process */
// Entry of the `casebook` CLI. Plain JavaScript on purpose: it must run (and explain itself) on
// an old Node before anything TypeScript is loaded. The harness itself is TypeScript run through
// Node's type stripping, which is on by default from Node 22.18 / 23.6 (we require 22.22).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 22)) {
  // Fetch Node 24 into the cache (bin/node24.mjs, loaded only here) and run this command with it.
  const { rerunWithNode24 } = await import('./node24.mjs');
  rerunWithNode24(['node', process.argv[1], ...process.argv.slice(2)]);
}
// Node keeps the compiled code of every module it loads in a cache on disk (in the temp dir, or
// NODE_COMPILE_CACHE), so the second and later commands skip most of the compile step: about a
// third of a command's start-up. Best effort: when the cache cannot be used, Node just compiles.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../harness/cli/main.ts');
