import { isImageId } from './keys';

/** A cursor that is not exactly one this API issues for the list or search asked for. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/**
 * A page cursor is base64url JSON: the last image id a page returned (`last`), and what the cursor is bound to
 * (whose list and which status, or a search's fingerprint). It holds no shard layout: "older than the last id
 * returned" is where every shard resumes, whatever their number. It grants nothing: whose images a request reads
 * comes from its caller, and a cursor made for another list or search is refused rather than reinterpreted.
 */
export function encodeCursor(binding: Readonly<Record<string, string>>, last: string): string {
  return Buffer.from(JSON.stringify({ ...binding, last })).toString('base64url');
}

/**
 * The image id a cursor resumes after. Exactly what `encodeCursor` makes for this binding, or the client's error:
 * anything else would reach DynamoDB as a key condition it refuses (a ValidationException, our 500), or page
 * through another owner's list or another search. A list sorted by something else than image ids (people, by
 * rank) passes what its `last` must look like.
 */
export function decodeCursor(
  cursor: string,
  binding: Readonly<Record<string, string>>,
  isLast: (last: string) => boolean = isImageId,
): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not one this API returned');
  }
  const fields =
    typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded)
      ? (decoded as Record<string, unknown>)
      : {};
  const expected = { ...binding, last: fields.last };
  const valid =
    Object.keys(fields).sort().join() === Object.keys(expected).sort().join() &&
    Object.entries(expected).every(([name, value]) => fields[name] === value) &&
    typeof fields.last === 'string' &&
    isLast(fields.last);
  if (!valid) {
    throw new InvalidCursorError('cursor is not one this API returned, or belongs to another list or search');
  }
  return fields.last as string;
}
