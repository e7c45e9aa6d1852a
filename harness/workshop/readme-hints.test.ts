import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenarios } from '../load/load-scenarios.ts';
import { hintsProblems, hintsSection, readmeHints } from './readme-hints.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('every scenario README with workshop data shows its hints, word for word and in order', async () => {
  const problems: string[] = [];
  for (const s of await loadScenarios({ root })) {
    if (!s.workshop) continue;
    problems.push(...hintsProblems(s, await readFile(join(root, 'scenarios', s.id, 'README.md'), 'utf8')));
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the hints section: items read back (wrapped lines joined), a missing or stale one names the section to paste', () => {
  const hints = ['Look at `x`.', 'Then at "y".'];
  assert.deepEqual(readmeHints(`# t\n\n${hintsSection(hints)}\n\n## Next\n\n1. not a hint\n`), hints);
  assert.deepEqual(readmeHints('# t\n\n## Workshop hints\n\n1. Look\n   at `x`.\n2. Then at "y".\n'), hints);
  assert.equal(readmeHints('# t\n'), undefined);
  const s = { id: 'a-b', workshop: { outcome: {}, hints, judges: '', cannotJudge: '' } };
  assert.match(hintsProblems(s, '# t\n')[0]!, /no '## Workshop hints' section; add:\n## Workshop hints\n[^]*1\. Look at `x`\./);
  assert.match(hintsProblems(s, `# t\n\n${hintsSection(['Look at `x`.'])}\n`)[0]!, /not the scenario's workshop\.hints; replace/);
  assert.deepEqual(hintsProblems(s, `# t\n\n${hintsSection(hints)}\n`), []);
  assert.deepEqual(hintsProblems({ id: 'c', workshop: undefined }, '# t\n'), []);
});
