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

test('the table check names the missing row, with a row to paste, a stale one, and a row that disagrees with the scenario', () => {
  const md =
    '# x\n\n## The cases\n\n| id | source | isolation |\n|---|---|---|\n| `a-b` | [X](https://istio.io/x), Istio Authors | namespace |\n' +
    '| `ingress-*` (2) | [X](https://istio.io/x), Istio Authors | gateway |\n| `gone` | s | mesh |\n\n## Next\n| `c-d` | not this table |\n';
  assert.deepEqual(tableNames(md, '## The cases'), ['a-b', 'ingress-*', 'gone']);
  const source = { title: 'X', author: 'Istio Authors', url: 'https://istio.io/x' };
  const scenarios = ['a-b', 'ingress-x', 'ingress-y', 'c-d'].map((id) => ({
    id,
    source,
    isolation: id.startsWith('ingress') ? 'gateway' : 'namespace',
    title: 't',
  }));
  assert.deepEqual(caseTableProblems(CASE_TABLES[0]!, md, scenarios), [
    "README.md › The cases: no row for 'c-d'; add: | `c-d` | [X](https://istio.io/x), Istio Authors | namespace |",
    "README.md › The cases: row 'gone' names no registered scenario (renamed or removed?)",
  ]);
  const untitled = [{ id: 'a-b', source: { title: 'Y', author: 'Lei Chu' }, isolation: 'namespace', title: 't' }];
  assert.deepEqual(caseTableProblems(CASE_TABLES[0]!, md, untitled), [
    "README.md › The cases: the row for 'a-b' reads '| [X](https://istio.io/x), Istio Authors | namespace |', the scenario says '| \"Y\", Lei Chu | namespace |'",
    "README.md › The cases: row 'ingress-*' names no registered scenario (renamed or removed?)",
    "README.md › The cases: row 'gone' names no registered scenario (renamed or removed?)",
  ]);
  assert.deepEqual(caseTableProblems(CASE_TABLES[0]!, '# nothing', scenarios), [
    "README.md: no '## The cases' section (the case table lives under it)",
  ]);
});
