import { z } from 'zod';
import { ImageItemSchema } from '../store/image-item';
import type { PublicImage } from '../store/image-view';
import { IMAGE_ID_PATTERN } from '../store/keys';

/**
 * The answers and parameters several routes share, as zod schemas: the OpenAPI document is made from them, and
 * the types the handlers answer with are checked against them at compile time (see each function's route.ts).
 */

/** Every error, the handlers' and API Gateway's own alike. */
export const ErrorSchema = z
  .object({
    message: z
      .string()
      .meta({ description: "What was wrong, naming each bad field (a 5xx says only 'internal error')" }),
  })
  .meta({ id: 'Error' });

/** A page's `limit`: a positive whole number; more than `max` is served `max`, none is `fallback`. */
export function pageLimitParameter(max: number, fallback: number) {
  return z
    .string()
    .regex(/^[0-9]+$/, 'must be a positive whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1'))
    .transform((limit) => Math.min(limit, max))
    .default(fallback);
}

/** A page's `cursor`: the previous page's, as this API returned it. */
export const PageCursorParameter = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'is not one this API returned')
  .optional()
  .meta({ description: "The previous page's `cursor`" });

/** A strict query string's errors: an unknown parameter by its name, anything else as no query string. */
export const QUERY_STRING_ERRORS = {
  error: (issue: z.core.$ZodRawIssue) =>
    issue.code === 'unrecognized_keys' ? `unknown parameter: ${issue.keys.join(', ')}` : 'must be a query string',
};

/** `{id}` of `/images/{id}...`: what `imageIdParam` accepts. */
export const ImageIdPathSchema = z.object({
  id: z.string().regex(IMAGE_ID_PATTERN).meta({ description: 'The image id (a 26-character ULID)' }),
});

/** The record as the API shows it: `toPublicImage` of the item, without the pipeline's bookkeeping. */
export const PublicImageSchema = ImageItemSchema.omit({
  entity: true,
  etag: true,
  eventPending: true,
  eventPendingFrom: true,
  expiresAt: true,
  indexedTerms: true,
  unindexTerms: true,
  renditionSpecs: true,
  people: true,
  rotationSent: true,
  cropSent: true,
});

/**
 * `true` when A and B are the same type (every field, optional ones included, at every depth), else `false`:
 * `const _checked: SameType<A, B> = true` compiles only when they are. How an answer's schema is tied to the type
 * its use case returns, so that neither changes alone.
 */
export type SameType<A, B> =
  (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
/** An intersection or an `Omit<...>` as one object type, so that equal types compare equal. */
type Flat<T> = { [K in keyof T]: T[K] };

// The schema and `toPublicImage` leave out the same fields.
const _publicImageChecked: SameType<PublicImage, z.output<typeof PublicImageSchema>> = true;

/** A backfill run's input as planBackfill made it: the fields `POST /backfills` and `GET /backfills/{id}` answer. */
export const BackfillInputShape = {
  bucket: z.string(),
  prefix: z.string().meta({ description: 'The keys listed: those under it' }),
  owner: z.string().nullable().meta({
    description:
      "The owner of the images whose `sourceBuckets` entry names none (each other image gets its entry's); null: none, or the uploads' own",
  }),
  reprocess: z.boolean(),
  regroupFaces: z.boolean().meta({ description: "Each image's faces grouped afresh (docs/people.md#re-clustering)" }),
  reown: z.boolean().meta({
    description: 'Images recorded under another owner get the one their key gets now (otherwise they keep theirs)',
  }),
};

/** A signed rendition URL: `POST /images/{id}/renditions` answers one, `GET /images/{id}` one per preset. */
export const SignedRenditionSchema = z
  .object({
    url: z.string().meta({
      description: 'The rendition: `<renditions origin>/<imageId>?<canonical spec>&exp&kid&sig` (docs/renditions.md)',
    }),
    expiresAt: z.string().meta({ description: 'When the URL stops working (ISO 8601); ask again for a new one' }),
  })
  .meta({ id: 'SignedRendition' });
