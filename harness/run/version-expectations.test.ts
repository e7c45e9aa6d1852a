import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectationFor } from './version-expectations.ts';

const scenario = {
  versions: [
    { istio: '<1.3', phase: 'broken' as const, verdict: 'not-reproduced' as const, because: 'before 1.3 the listener did not exist' },
    { istio: '>=1.25 <1.30', phase: 'broken' as const, verdict: 'reproduced' as const, because: 'first match wins' },
    { istio: '>=1.25', phase: 'broken' as const, verdict: 'not-reproduced' as const, because: 'never reached for 1.29' },
    { istio: '>=1.31.0-0', phase: 'fixed' as const, verdict: 'skipped' as const, because: 'field removed in 1.31' },
  ],
};

test('version expectations: the first matching semver range for the phase decides, else the phase default', () => {
  assert.deepEqual(expectationFor(scenario, 'broken', '1.2.6'), {
    expected: 'not-reproduced',
    because: 'before 1.3 the listener did not exist',
  });
  assert.deepEqual(expectationFor(scenario, 'broken', '1.29.6'), { expected: 'reproduced', because: 'first match wins' });
  assert.deepEqual(expectationFor(scenario, 'broken', '1.30.3'), { expected: 'not-reproduced', because: 'never reached for 1.29' });
  assert.deepEqual(expectationFor(scenario, 'fixed', '1.30.3'), { expected: 'fixed' });
  assert.deepEqual(expectationFor(scenario, 'control-plaintext', '1.30.3'), { expected: 'passed' });
  assert.deepEqual(expectationFor({}, 'workaround-annotation', '1.30.3'), { expected: 'fixed' });
});

test('version expectations: pre-releases match ranges', () => {
  assert.deepEqual(expectationFor(scenario, 'fixed', '1.31.0-rc.0'), { expected: 'skipped', because: 'field removed in 1.31' });
  assert.deepEqual(expectationFor(scenario, 'broken', '1.31.0-rc.0'), { expected: 'not-reproduced', because: 'never reached for 1.29' });
});
