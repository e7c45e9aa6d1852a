/**
 * Text from a run or a baseline file as inert Markdown: a backslash, raw HTML (`<`, `>`,
 * `&`) and every line ending, a lone CR included (CommonMark counts it), so a runId cannot start a
 * heading or inject a tag. Markdown the report itself writes (the bold of a verdict) is added
 * around escaped text, never escaped.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, ' ');
}

/** One Markdown table row; a `|` or a line break inside a cell would end the cell or the row. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => markdownText(c).replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** Header row and its `---` separator. */
export function tableHead(cells: readonly string[]): string[] {
  return [tableRow(cells), tableRow(cells.map(() => '---'))];
}
