import type { ScenarioDefinition } from '../model/scenario.ts';

/**
 * A scenario README shows its workshop hints, from the data: a `## Workshop hints` section whose
 * numbered items are `workshop.hints`, word for word, in order. `readme-hints.test.ts` keeps them
 * in step; a mismatch prints the section to paste.
 */
export const HINTS_HEADING = '## Workshop hints';

export function hintsSection(hints: readonly string[]): string {
  return [
    HINTS_HEADING,
    '',
    "What `casebook workshop` gives on `h`, from vague to precise (the scenario's `workshop.hints`):",
    '',
    ...hints.map((h, i) => `${i + 1}. ${h}`),
  ].join('\n');
}

/** The numbered items of the README's hints section (an item may wrap onto indented lines). */
export function readmeHints(readme: string): string[] | undefined {
  const lines = readme.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === HINTS_HEADING);
  if (start < 0) return undefined;
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,2} /.test(line)) break;
    const m = /^\d+\. (.*)$/.exec(line);
    if (m) items.push(m[1]!.trim());
    else if (items.length > 0 && /^ {2,}\S/.test(line)) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

export function hintsProblems(s: Pick<ScenarioDefinition, 'id' | 'workshop'>, readme: string): string[] {
  if (!s.workshop) return [];
  const shown = readmeHints(readme);
  const paste = `\n${hintsSection(s.workshop.hints)}\n`;
  if (!shown) return [`scenarios/${s.id}/README.md: no '${HINTS_HEADING}' section; add:${paste}`];
  if (JSON.stringify(shown) !== JSON.stringify(s.workshop.hints)) {
    return [
      `scenarios/${s.id}/README.md › ${HINTS_HEADING.slice(3)}: not the scenario's workshop.hints; replace the section with:${paste}`,
    ];
  }
  return [];
}
