import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientContainerName, dockerSafe, runPart, serviceContainerName, siteCertName } from './naming.ts';

test('names are docker-safe and carry the run id', () => {
  assert.equal(serviceContainerName('2026-08-30T10:00Z', 'site-a'), 'casebook-2026-08-30t10-00z-ext-site-a');
  assert.equal(clientContainerName('run1'), 'casebook-run1-reachability');
  assert.equal(siteCertName('site-b'), 'external-site-b');
  assert.equal(dockerSafe('--Weird Name!!'), 'weird-name');
  assert.equal(dockerSafe('***'), 'x');
});

test('a long run id is shortened with a hash; the service name is always kept whole', () => {
  const a = serviceContainerName('r'.repeat(50), 'a-very-long-service-name');
  const b = serviceContainerName(`${'r'.repeat(49)}s`, 'a-very-long-service-name');
  assert.match(a, /^casebook-r{23}-[0-9a-f]{8}-ext-a-very-long-service-name$/);
  assert.notEqual(a, b, 'run ids sharing a long prefix still get distinct names');
  assert.equal(runPart('short-run'), 'short-run');
  assert.ok(runPart('x'.repeat(100)).length <= 32);
});
