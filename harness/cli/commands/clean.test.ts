import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerCleanCommand, renderCleanReport } from './clean.ts';

test('registers `clean` with --dry-run and --include-active', () => {
  const program = new Command('casebook');
  registerCleanCommand(program);
  const clean = program.commands.find((c) => c.name() === 'clean');
  assert.ok(clean);
  assert.deepEqual(
    clean.options.map((o) => o.long),
    ['--dry-run', '--include-active'],
  );
});

test('the report names each resource, its run, and what was left alone and why', () => {
  const lines = renderCleanReport({
    dryRun: false,
    removed: [{ type: 'container', id: 'c', name: 'casebook-r1-ext-db', runId: 'r1', role: 'external-mysql' }],
    failed: [],
    active: [{ type: 'network', id: 'n', name: 'casebook-net', runId: 'r2', role: 'network', ownerPid: 77 }],
    kindClusters: [{ name: 'casebook', nodes: ['casebook-control-plane'], action: 'kind-missing', detail: 'kind is not on PATH' }],
  });
  assert.deepEqual(lines, [
    'removed container casebook-r1-ext-db (run r1, external-mysql)',
    'left network casebook-net alone: run r2 is still going (pid 77); stop it, or use --include-active',
    'kind cluster casebook (casebook-control-plane) not deleted: kind is not on PATH',
    '1 container(s)/network(s) removed, 0 kind cluster(s) deleted, 0 failed, 1 left to running runs',
  ]);
});

test('an empty engine says nothing of ours was left', () => {
  assert.deepEqual(renderCleanReport({ dryRun: true, removed: [], failed: [], active: [], kindClusters: [] }), [
    'dry run: 0 container(s)/network(s) would be removed, 0 kind cluster(s) would be deleted: nothing of ours was left',
  ]);
});
