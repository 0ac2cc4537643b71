/** Markdown for the results files the benchmarks and the load run write. */

/** A Markdown table: a header row, its rule, then one row per entry. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
