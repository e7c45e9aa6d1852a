import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { loadScenarios } from '../load/load-scenarios.ts';
import { CASE_TABLES, caseTableProblems, tableNames } from './case-tables.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('README.md and docs/workshops.md list every registered scenario, and nothing else', async () => {
  const scenarios = await loadScenarios({ root });
  const problems: string[] = [];
  for (const t of CASE_TABLES) problems.push(...caseTableProblems(t, await readFile(`${root}/${t.file}`, 'utf8'), scenarios));
  assert.deepEqual(problems, [], `the case tables are out of date:\n${problems.join('\n')}`);
});

test('the table check names the missing row, with a row to paste, and a stale one', () => {
  const md = '# x\n\n## The cases\n\n| id | source | isolation |\n|---|---|---|\n| `a-b` | s | mesh |\n| `ingress-*` (2) | s | gateway |\n| `gone` | s | mesh |\n\n## Next\n| `c-d` | not this table |\n';
  assert.deepEqual(tableNames(md, '## The cases'), ['a-b', 'ingress-*', 'gone']);
  const scenarios = ['a-b', 'ingress-x', 'ingress-y', 'c-d'].map((id) => ({ id, source: 'https://istio.io/x', isolation: 'namespace', title: 't' }));
  assert.deepEqual(caseTableProblems(CASE_TABLES[0]!, md, scenarios), [
    "README.md › The cases: no row for 'c-d'; add: | `c-d` | https://istio.io/x | namespace |",
    "README.md › The cases: row 'gone' names no registered scenario (renamed or removed?)",
  ]);
  assert.deepEqual(caseTableProblems(CASE_TABLES[0]!, '# nothing', scenarios), ["README.md: no '## The cases' section (the case table lives under it)"]);
});
