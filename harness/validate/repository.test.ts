import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { allProblems, validateCasebook } from './validate-casebook.ts';

/**
 * The repository's own registry and every manifest under
 * manifests/ load and validate with no problem at all (what `casebook validate` checks).
 */
test('this repository: every scenario registered and consistent, every manifest valid', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const v = await validateCasebook(root);
  const problems = allProblems(v).map((p) => `${p.location}: ${p.message}`);
  assert.deepEqual(problems, [], `casebook validate would fail:\n${problems.join('\n')}`);
  assert.ok(v.scenarios.length >= 1, 'no scenario registered');
  assert.ok(v.scenarios.some((s) => s.id === 'destinationrule-without-tls-overrides-mesh-mtls'));
  assert.ok(v.manifestFiles >= 7, `only ${v.manifestFiles} manifest files found`);
});
