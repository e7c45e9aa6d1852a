import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findChromium } from './find-chromium.ts';

const only =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

test("CASEBOOK_CHROMIUM wins, then the system package, then Playwright's browser", () => {
  assert.deepEqual(findChromium({ env: { CASEBOOK_CHROMIUM: '/opt/c/chrome' }, exists: only('/opt/c/chrome', '/usr/bin/chromium') }), {
    executablePath: '/opt/c/chrome',
    source: 'CASEBOOK_CHROMIUM',
  });
  assert.deepEqual(findChromium({ env: {}, exists: only('/usr/bin/chromium'), playwrightPath: '/pw/chrome' }), {
    executablePath: '/usr/bin/chromium',
    source: 'system',
  });
  assert.deepEqual(findChromium({ env: {}, exists: only('/pw/chrome'), playwrightPath: '/pw/chrome' }), {
    executablePath: '/pw/chrome',
    source: 'playwright',
  });
});

test('nothing installed: a prerequisite error that says what to install', () => {
  assert.throws(
    () => findChromium({ env: {}, exists: () => false, playwrightPath: '/pw/chrome' }),
    (e: Error & { hint?: string }) =>
      e.name === 'PrerequisiteError' && /apt-get install chromium/.test(e.hint ?? '') && /CASEBOOK_CHROMIUM/.test(e.hint ?? ''),
  );
  assert.throws(() => findChromium({ env: { CASEBOOK_CHROMIUM: '/nope' }, exists: () => false }), /CASEBOOK_CHROMIUM points at \/nope/);
});
