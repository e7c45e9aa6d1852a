import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containsSecret } from '../evidence/redact.ts';
import { compareResults } from './compare-results.ts';
import { sampleRun } from './testing/sample-run.ts';
import { writeComparison, writeReports } from './write-results.ts';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SECRETS = [pem.split('\n')[1]!, 'tok-S2-bearer', 'cookie-S2-value', 'pw-S2-yaml'];

test('every report file (results.json, junit.xml, matrix.md, report.html, comparison.*) is written redacted, whichever field held the secret', async () => {
  const run = sampleRun();
  const leaky = `${pem}\nAuthorization: Bearer tok-S2-bearer\nSet-Cookie: sid=cookie-S2-value\npassword: pw-S2-yaml`;
  const [first, ...rest] = run.results;
  run.results = [
    {
      ...first!,
      error: leaky,
      skippedReason: leaky,
      probes: [
        {
          probe: 'call',
          spec: { kind: 'http', from: 'curl', url: 'http://x/', headers: { Authorization: 'Bearer tok-S2-bearer' } },
          held: false,
          infrastructureError: false,
          message: leaky,
          attempts: [],
        },
      ],
    },
    ...rest,
  ];
  const dir = await mkdtemp(join(tmpdir(), 'casebook-reports-'));
  await writeReports(dir, run);
  await writeComparison(dir, compareResults(run, run));
  const files = await readdir(dir);
  assert.deepEqual(files.sort(), ['comparison.json', 'comparison.md', 'junit.xml', 'matrix.md', 'report.html', 'results.json']);
  for (const f of files) {
    const text = await readFile(join(dir, f), 'utf8');
    for (const s of SECRETS) assert.ok(!text.includes(s), `${f} holds ${s}`);
    assert.equal(containsSecret(text), false, f);
  }
  assert.match(await readFile(join(dir, 'results.json'), 'utf8'), /\[REDACTED\]/, 'the redaction is visible, the fields stay');
});
