import { citationMarkdown, type WriteUp } from '../model/write-up.ts';

/**
 * The hand-written case tables (README.md "The cases", docs/workshops.md "Choosing cases") hold
 * prose the registry does not have ("about", "good for"), so they are checked, not generated:
 * every registered scenario has a row, and no row names a scenario that is gone. Where a table
 * repeats the registry (README's source and isolation), `cells` says what the row must read.
 */
type CaseRow = { id: string; source: WriteUp; isolation: string; title: string };
export type CaseTable = { file: string; heading: string; row(s: CaseRow): string; cells?(s: CaseRow): string[] };

export const CASE_TABLES: readonly CaseTable[] = [
  {
    file: 'README.md',
    heading: '## The cases',
    row: (s) => `| \`${s.id}\` | ${citationMarkdown(s.source)} | ${s.isolation} |`,
    cells: (s) => [citationMarkdown(s.source), s.isolation],
  },
  {
    file: 'docs/workshops.md',
    heading: '## Choosing cases',
    row: (s) => `| \`${s.id}\` | <what it is about> | <what a session it suits> |`,
  },
];

/** The rows of the table under `heading`: the backticked names of the first column, and the other cells. */
function tableRows(markdown: string, heading: string): { names: string[]; cells: string[] }[] | undefined {
  const start = markdown.split('\n').findIndex((l) => l.trim() === heading);
  if (start === -1) return undefined;
  const lines = markdown.split('\n').slice(start + 1);
  const next = lines.findIndex((l) => /^#{1,2} /.test(l));
  const rows = (next === -1 ? lines : lines.slice(0, next)).filter((l) => l.startsWith('|'));
  return rows.map((l) => {
    const cells = l
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    return { names: [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!), cells: cells.slice(1) };
  });
}

/** The backticked names in the first column of the table under `heading` (`ingress-*` is a pattern). */
export function tableNames(markdown: string, heading: string): string[] | undefined {
  return tableRows(markdown, heading)?.flatMap((r) => r.names);
}

const covers = (name: string, id: string) => (name.endsWith('*') ? id.startsWith(name.slice(0, -1)) : name === id);

/** What is wrong with one table: a scenario without a row, a row without a scenario. */
export function caseTableProblems(table: CaseTable, markdown: string, scenarios: readonly CaseRow[]): string[] {
  const rows = tableRows(markdown, table.heading);
  if (rows === undefined) return [`${table.file}: no '${table.heading}' section (the case table lives under it)`];
  const names = rows.flatMap((r) => r.names);
  const where = `${table.file} › ${table.heading.replace(/^#+ /, '')}`;
  const problems: string[] = [];
  for (const s of scenarios) {
    const row = rows.find((r) => r.names.some((n) => covers(n, s.id)));
    if (!row) problems.push(`${where}: no row for '${s.id}'; add: ${table.row(s)}`);
    else if (table.cells && table.cells(s).join(' | ') !== row.cells.join(' | ')) {
      problems.push(
        `${where}: the row for '${s.id}' reads '| ${row.cells.join(' | ')} |', the scenario says '| ${table.cells(s).join(' | ')} |'`,
      );
    }
  }
  for (const n of names) {
    if (!scenarios.some((s) => covers(n, s.id))) problems.push(`${where}: row '${n}' names no registered scenario (renamed or removed?)`);
  }
  return problems;
}
