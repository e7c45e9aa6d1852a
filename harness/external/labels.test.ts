import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isOurKindCluster, labelFilter, labelsFor } from './labels.ts';

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
