/** One Markdown table row; a `|` or a line break inside a cell would end the cell or the row. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`;
}

/** Header row and its `---` separator. */
export function tableHead(cells: readonly string[]): string[] {
  return [tableRow(cells), tableRow(cells.map(() => '---'))];
}
