import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * `npm run test:unit` runs every test file in one process (--test-isolation=none): starting a
 * process per file cost more than the tests themselves. In that mode a hook written at the top
 * level of a file belongs to the whole run: a top-level beforeEach/afterEach would run around
 * every test of every other file, silently. (Top-level before/after are fine: they run once,
 * before the first test and after the last.) Such hooks belong inside a describe().
 */
const REPO = fileURLToPath(new URL('../', import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

test('no unit test file has a top-level beforeEach or afterEach (they would leak into every file)', () => {
  const files = [...testFiles(join(REPO, 'harness')), ...testFiles(join(REPO, 'scenarios'))];
  assert.ok(files.length > 50, `only ${files.length} test files found`);
  const leaking = files
    .filter((f) => /^(?:test\.)?(?:beforeEach|afterEach)\(/m.test(readFileSync(f, 'utf8')))
    .map((f) => relative(REPO, f));
  assert.deepEqual(leaking, []);
});
