/**
 * The hand-written case tables (README.md "The cases", docs/workshops.md "Choosing cases") hold
 * prose the registry does not have ("about", "good for"), so they are checked, not generated:
 * every registered scenario has a row, and no row names a scenario that is gone.
 */
export type CaseTable = { file: string; heading: string; row(s: { id: string; source: string; isolation: string; title: string }): string };

export const CASE_TABLES: readonly CaseTable[] = [
  { file: 'README.md', heading: '## The cases', row: (s) => `| \`${s.id}\` | ${s.source} | ${s.isolation} |` },
  { file: 'docs/workshops.md', heading: '## Choosing cases', row: (s) => `| \`${s.id}\` | <what it is about> | <what a session it suits> |` },
];

/** The backticked names in the first column of the table under `heading` (`ingress-*` is a pattern). */
export function tableNames(markdown: string, heading: string): string[] | undefined {
  const start = markdown.split('\n').findIndex((l) => l.trim() === heading);
  if (start === -1) return undefined;
  const lines = markdown.split('\n').slice(start + 1);
  const next = lines.findIndex((l) => /^#{1,2} /.test(l));
  const rows = (next === -1 ? lines : lines.slice(0, next)).filter((l) => l.startsWith('|'));
  return rows.flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

const covers = (name: string, id: string) => (name.endsWith('*') ? id.startsWith(name.slice(0, -1)) : name === id);

/** What is wrong with one table: a scenario without a row, a row without a scenario. */
export function caseTableProblems(table: CaseTable, markdown: string, scenarios: readonly { id: string; source: string; isolation: string; title: string }[]): string[] {
  const names = tableNames(markdown, table.heading);
  if (names === undefined) return [`${table.file}: no '${table.heading}' section (the case table lives under it)`];
  const problems: string[] = [];
  for (const s of scenarios) {
    if (!names.some((n) => covers(n, s.id))) problems.push(`${table.file} › ${table.heading.replace(/^#+ /, '')}: no row for '${s.id}'; add: ${table.row(s)}`);
  }
  for (const n of names) {
    if (!scenarios.some((s) => covers(n, s.id))) problems.push(`${table.file} › ${table.heading.replace(/^#+ /, '')}: row '${n}' names no registered scenario (renamed or removed?)`);
  }
  return problems;
}
