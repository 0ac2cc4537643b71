/**
 * Rows under a header for people to read, each column as wide as its widest cell, the last one not padded (it
 * may be long: a URL, an id), so `webhooks list`, `webhooks deliveries` and `people` line up the same way.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => (row[column] ?? '').length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
