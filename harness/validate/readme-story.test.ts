import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadScenarios } from '../load/load-scenarios.ts';
import { markdownText, readmeStory, storyProblems, storySection } from './readme-story.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('every scenario README shows its symptom, cause and fix, word for word', async () => {
  const problems: string[] = [];
  for (const s of await loadScenarios({ root })) {
    problems.push(...storyProblems(s, await readFile(join(root, 'scenarios', s.id, 'README.md'), 'utf8')));
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the story section: paragraphs read back (wrapped lines joined, escapes undone), a missing or stale one names the section to paste', () => {
  const story = {
    symptom: 'curl http://<ingress>/x answers 404 with `server: istio-envoy`.',
    cause: 'hosts "./*" and "istio-system/*" only.',
    fix: 'Name `*.example.com`.',
  };
  assert.equal(markdownText(story.symptom), 'curl http://\\<ingress>/x answers 404 with `server: istio-envoy`.');
  assert.equal(markdownText(story.fix), 'Name `*.example.com`.');
  assert.deepEqual(readmeStory(`# t\n\n${storySection(story)}\n\n## Next\n\n**Fix:** not this one\n`), story);
  assert.deepEqual(
    readmeStory(
      '# t\n\n## In one paragraph each\n\n**Symptom:** curl http://\\<ingress>/x answers 404\n  with `server: istio-envoy`.\n\n**Fix:** Name `*.example.com`.\n',
    ),
    { symptom: story.symptom, fix: story.fix },
  );
  assert.equal(readmeStory('# t\n'), undefined);
  const s = { id: 'a-b', ...story };
  assert.match(
    storyProblems(s, '# t\n')[0]!,
    /^scenarios\/a-b\/README\.md: no '## In one paragraph each' section; add:\n## In one paragraph each\n[^]*\*\*Cause:\*\* hosts "\.\/\\\*" and/,
  );
  assert.match(
    storyProblems(s, `# t\n\n${storySection({ ...story, cause: 'older words' })}\n`)[0]!,
    /^scenarios\/a-b\/README\.md › In one paragraph each: not the scenario's `cause`; replace the section with:\n## In one paragraph each\n/,
  );
  assert.deepEqual(storyProblems(s, `# t\n\n${storySection(story)}\n`), []);
});
