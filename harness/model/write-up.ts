/**
 * The published write-up a scenario reproduces, cited as a reader would find it: its title,
 * author and date, and its address when it has one. Some write-ups reached us as copies without
 * an address (or an author): cite what is known and say in `note` where the copy came from.
 */
export type WriteUp = {
  title: string;
  /** A person, a team ('Istio Authors') or absent when the copy names nobody. */
  author?: string;
  /** As published: YYYY-MM-DD, or YYYY-MM, or absent for a living document page. */
  date?: string;
  url?: string;
  /** What a reader needs to find or judge it: a translation's original, where the copy was published. */
  note?: string;
};

/** One line: `title, author, date, url (note)`, leaving out what is unknown. */
export function citation(w: WriteUp): string {
  return [`"${w.title}"`, w.author, w.date, w.url].filter(Boolean).join(', ') + (w.note ? ` (${w.note})` : '');
}

/** The same as Markdown: the title links to the address when there is one. */
export function citationMarkdown(w: WriteUp): string {
  const title = w.url ? `[${w.title}](${w.url})` : `"${w.title}"`;
  return [title, w.author, w.date].filter(Boolean).join(', ');
}
