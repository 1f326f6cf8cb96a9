/**
 * Text as one Markdown table cell: pipes would end the cell and line breaks the row, so both are escaped; every
 * other character is left as written, so messages keep their backticks.
 */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return ' ';
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Text in inline code; a backtick inside would end the span, so the fence is made longer than any run inside. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A Markdown table from a header row and body rows, each value escaped as a cell. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | undefined>>): string {
  const line = (values: ReadonlyArray<string | number | undefined>) => `| ${values.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation other than `-` and `_` dropped, spaces turned into
 * hyphens. RULES.md relies on it for its per-rule links, so the anchor needs no HTML in the heading.
 */
export function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}
