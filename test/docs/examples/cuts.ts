/*
 * The cuts an example's comment announces (`palette cut to its first two colours ... with ...`), applied to the
 * fresh output the same way, so what is left is compared in full.
 */

const CUT = '\u0000cut';

/**
 * Indented JSON with every array under one of these keys cut to its first entries and a `...` line, as jq and
 * `--pretty` indent it (two spaces). Output that is not one JSON document is returned as it is.
 */
export function cutArrays(output: string, keep: Record<string, number>): string {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    return output;
  }
  const cut = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(cut);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, child]) => {
        const count = keep[key];
        if (Array.isArray(child) && count !== undefined && child.length > count) {
          return [key, [...child.slice(0, count).map(cut), CUT]];
        }
        return [key, cut(child)];
      }),
    );
  };
  return JSON.stringify(cut(value), null, 2).replace(/"\\u0000cut"/g, '...');
}
