import { z } from 'zod';

/**
 * What every string a client gives us to keep must be (tags, metadata values, filenames, person names): checks for
 * `z.string().check(...)`, so each field refuses it in the same words under its own name.
 */

/**
 * Valid Unicode. A lone UTF-16 surrogate (`"\ud800"`) is valid JSON but has no UTF-8 form: DynamoDB refuses the item
 * it is in (a 500 for the client's mistake), and no client could read it back.
 */
export const validUnicode = z.refine<string>(
  (text) => !/\p{Cs}/u.test(text),
  'must be valid Unicode (it has a lone surrogate)',
);

/** No control character (`\p{Cc}`: NUL, a newline, a tab, an escape), which would break every layout and log line. */
export const noControlCharacters = z.refine<string>(
  (text) => !/\p{Cc}/u.test(text),
  'must not contain control characters (such as a newline or a tab)',
);

/**
 * The one rule for a string a client gives us to keep, on every route that takes one: valid Unicode and no control
 * character, each refused with a 400 that names the field (never a 500 from DynamoDB, never stored and echoed).
 */
export function clientText<T extends z.ZodString>(schema: T): T {
  return schema.check(noControlCharacters, validUnicode);
}

/**
 * A number DynamoDB can store: 0, or a magnitude from 1e-130 to below 1e126 (DynamoDB refuses the item otherwise: a
 * 500 for the client's mistake). A JavaScript number has at most 17 significant digits, under DynamoDB's 38.
 */
export const storableNumber = z.refine<number>(
  (value) => value === 0 || (Math.abs(value) >= 1e-130 && Math.abs(value) < 1e126),
  'must be 0 or of a magnitude from 1e-130 to 9.99e125 (what DynamoDB stores)',
);
