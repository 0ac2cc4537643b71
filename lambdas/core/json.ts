/** JSON text's value, or undefined for text that is not JSON: for input a schema checks next, which says what is wrong. */
export function parseJsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
