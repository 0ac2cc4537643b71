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
