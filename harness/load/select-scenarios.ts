import { distance } from 'fastest-levenshtein';
import { UsageError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';

/** The scenarios named by `ids` (in registry order), or every one when `ids` is empty. */
export function selectScenarios(all: readonly ScenarioDefinition[], ids: readonly string[]): ScenarioDefinition[] {
  if (ids.length === 0) return [...all];
  const known = all.map((s) => s.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    const parts = unknown.map((id) => {
      const near = closestIds(id, known);
      return `'${id}'${near.length > 0 ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
    });
    throw new UsageError(`unknown scenario id ${parts.join(', ')}`, '`npx casebook list` shows every scenario id');
  }
  return all.filter((s) => ids.includes(s.id));
}

/**
 * Up to three ids close to `input`: ids containing it, or all of its words (`dr-tls` style
 * abbreviations of long ids), first; then ids within a small edit distance (typos).
 */
export function closestIds(input: string, known: readonly string[]): string[] {
  const needle = input.toLowerCase();
  const words = needle.split(/[^a-z0-9]+/).filter((w) => w.length > 1);
  const scored = known.map((id) => {
    const contains = id.includes(needle) || needle.includes(id) || (words.length > 0 && words.every((w) => id.includes(w)));
    const d = distance(needle, id);
    return { id, contains, d };
  });
  const limit = Math.max(3, Math.floor(needle.length / 2));
  return scored
    .filter((s) => s.contains || s.d <= limit)
    .sort((a, b) => Number(b.contains) - Number(a.contains) || a.d - b.d)
    .slice(0, 3)
    .map((s) => s.id);
}
