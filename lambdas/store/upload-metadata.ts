import { z } from 'zod';
import { noControlCharacters, validUnicode } from './client-text';

/**
 * The client's tags and metadata on an upload: the limits are written once, here, and read by the request schema
 * (create-upload), the API Gateway model (upload-api construct), the record and the events.
 */
export const UPLOAD_METADATA_LIMITS = {
  /** Tags per upload (counted as sent, before duplicates are removed). */
  maxTags: 20,
  /** Characters (Unicode code points, as JSON Schema's maxLength counts them) per tag, as sent. */
  maxTagChars: 64,
  /** Keys in the metadata map. */
  maxKeys: 20,
  /** UTF-8 bytes of the metadata map's JSON (`JSON.stringify`). */
  maxBytes: 2048,
} as const;

/** A metadata key: 1 to 64 characters of letters, digits and `_ . : -`. */
export const METADATA_KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
const METADATA_KEY = new RegExp(METADATA_KEY_PATTERN);
/**
 * Allowed by the pattern, but refused: assigning it sets an object's prototype instead, so a JavaScript client that
 * copies the map naively, and the DynamoDB SDK's own marshalling and unmarshalling, would lose it. Every other key,
 * `constructor`, `toString` or `hasOwnProperty` too, is kept and answered as given (see `metadataAttribute`).
 */
const RESERVED_KEY = '__proto__';

/** Tags as stored and published: already checked, trimmed and unique. */
export const TagsSchema = z.array(z.string()).max(UPLOAD_METADATA_LIMITS.maxTags);
/** Metadata as stored and published: already checked. */
export const MetadataSchema = z.record(z.string(), z.string());
export type UploadMetadata = z.infer<typeof MetadataSchema>;

const { maxTags, maxTagChars, maxKeys, maxBytes } = UPLOAD_METADATA_LIMITS;

/** One tag as a client sends it (`POST /uploads`, `PATCH /images/{id}/tags`): checked, then trimmed. */
export function tagRequestSchema() {
  return z
    .string({ error: 'must be a string' })
    .refine((tag) => [...tag].length <= maxTagChars, `must be at most ${maxTagChars} characters`)
    .check(noControlCharacters, validUnicode)
    .transform((tag) => tag.trim())
    .refine((tag) => tag.length > 0, 'must not be empty or only spaces');
}

/**
 * `tags` of `POST /uploads`: each a string of at most 64 characters as sent, without control characters or lone
 * surrogates, not blank; stored trimmed, duplicates (after trimming, compared exactly) dropped, first one kept.
 */
export const TagsRequestSchema = z
  .array(tagRequestSchema(), { error: 'must be an array of strings' })
  .max(maxTags, `must be at most ${maxTags} tags`)
  .transform((tags) => [...new Set(tags)]);

const MetadataValueSchema = z.string({ error: 'must be a string' }).check(validUnicode);

/**
 * `metadata` of `POST /uploads`: a JSON object of at most 20 keys (METADATA_KEY_PATTERN, not `__proto__`) whose
 * values are strings of valid Unicode, at most 2048 UTF-8 bytes as JSON. Checked by hand rather than with
 * `z.record`, which copies an own `__proto__` key by assignment.
 */
export const MetadataRequestSchema = z.unknown().transform((input, ctx): UploadMetadata => {
  const fail = (message: string, key?: string) => {
    ctx.addIssue({ code: 'custom', message, input, path: key === undefined ? [] : [key] });
    return z.NEVER;
  };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('must be a JSON object of string values');
  }
  const entries = Object.entries(input);
  if (entries.length > maxKeys) return fail(`must have at most ${maxKeys} keys`);
  // A bad key is not echoed: it can be anything, of any length.
  if (entries.some(([key]) => !METADATA_KEY.test(key))) {
    return fail('keys must be 1 to 64 characters of A-Z, a-z, 0-9, _ . : -');
  }
  if (entries.some(([key]) => key === RESERVED_KEY)) return fail(`the key ${RESERVED_KEY} is reserved`);
  for (const [key, value] of entries) {
    const checked = MetadataValueSchema.safeParse(value);
    if (!checked.success) return fail(checked.error.issues.map((issue) => issue.message).join('; '), key);
  }
  const bytes = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (bytes > maxBytes) return fail(`must be at most ${maxBytes} bytes as JSON (it is ${bytes})`);
  // fromEntries defines properties, so even an own `constructor` key is plain data (the store writes it as a Map).
  return Object.fromEntries(entries) as UploadMetadata;
});

/**
 * Metadata as the DynamoDB marshaller must take it: a Map, written from its entries. The marshaller tells a plain
 * object by its `constructor` property, which an own `constructor` key hides, and then refuses the item (a 500 for a
 * key the API allows); an object without a prototype fails the same way, since the key is still its own. Read back,
 * it is a plain object again, with every key as given.
 */
export function metadataAttribute(metadata: Readonly<UploadMetadata> | undefined): Map<string, string> | undefined {
  return metadata === undefined ? undefined : new Map(Object.entries(metadata));
}
