import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsWithRefs } from './validate-refs.ts';

test('valid refs have no problems', () => {
  assert.deepEqual(
    problemsWithRefs([
      { name: 'site-a', kind: 'https-site', hostname: 'site-a.test', body: 'A' },
      { name: 'mysql', kind: 'mysql' },
    ]),
    [],
  );
});

test('every problem is reported at once', () => {
  assert.deepEqual(
    problemsWithRefs([
      { name: 'Site A', kind: 'https-site', hostname: 'bad host', body: '' },
      { name: 'db', kind: 'mysql' },
      { name: 'db', kind: 'mysql' },
    ]),
    [
      'external service name "Site A" must be lower-case letters, digits and dashes (max 42)',
      'external service "Site A": hostname "bad host" is not a DNS name',
      'external service "Site A": body must be recognisable, not empty',
      'external service "db" is declared twice',
    ],
  );
});
