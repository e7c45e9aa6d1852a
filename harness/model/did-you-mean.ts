import { distance } from 'fastest-levenshtein';

/**
 * The known name nearest to a misspelt one, when it is close enough to be a typo (about one edit
 * in three letters, case ignored); never a wild guess, which would send the author the wrong way.
 * Ties go to the name with the same letters (a transposition costs two edits in Levenshtein's
 * count, so `wbe` is as far from `db` as from `web`), then to the one with the same first letter.
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const n = name.toLowerCase();
  const sorted = (s: string) => [...s].sort().join('');
  const ranked = known
    .map((k) => ({
      k,
      d: distance(n, k.toLowerCase()),
      anagram: sorted(k.toLowerCase()) === sorted(n) ? 0 : 1,
      first: k[0]?.toLowerCase() === n[0] ? 0 : 1,
    }))
    .sort((a, b) => a.d - b.d || a.anagram - b.anagram || a.first - b.first);
  const best = ranked[0];
  return best && name !== '' && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.k : undefined;
}
