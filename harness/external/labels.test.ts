import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOurKindCluster, labelArgs, labelFilter, labelsFor, labLabelsFor } from './labels.ts';

test('every resource carries managed-by, run, role and owner labels', () => {
  assert.deepEqual(labelsFor('r-42', 'external-mysql', { pid: 123, host: 'ci-1' }), {
    'casebook.dev/managed-by': 'istio-casebook',
    'casebook.dev/run': 'r-42',
    'casebook.dev/role': 'external-mysql',
    'casebook.dev/owner-pid': '123',
    'casebook.dev/owner-host': 'ci-1',
  });
});

test('label filters select ours, or one run of ours', () => {
  assert.deepEqual(labelFilter(), ['casebook.dev/managed-by=istio-casebook']);
  assert.deepEqual(labelFilter('r-42'), ['casebook.dev/managed-by=istio-casebook', 'casebook.dev/run=r-42']);
});

test('only clusters named casebook or casebook-* are ours', () => {
  assert.equal(isOurKindCluster('casebook'), true);
  assert.equal(isOurKindCluster('casebook-1-30-3'), true);
  assert.equal(isOurKindCluster('kind'), false);
  assert.equal(isOurKindCluster('casebookish'), false);
  assert.equal(isOurKindCluster('my-casebook'), false);
});

test('lab containers and networks carry our labels, so casebook clean selects their leftovers', () => {
  const labels = labLabelsFor('lab-abc123', 'lab-server', { pid: 42, host: 'h' });
  for (const f of labelFilter()) assert.equal(labels[f.split('=')[0]!], f.split('=')[1]);
  assert.equal(labels['casebook.dev/lab'], '1');
  assert.deepEqual(labelArgs({ a: '1', b: '2' }), ['--label', 'a=1', '--label', 'b=2']);
});
