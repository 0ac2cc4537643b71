import { z } from 'zod';
import { PageCursorParameter, pageLimitParameter, QUERY_STRING_ERRORS, type SameType } from '../../api/schemas';
import type { CreatedShare } from '../../shares/create-share';
import type { ShareRequest } from '../../shares/share';
import { MAX_SHARE_DAYS } from '../../shares/table-design';

/*
 * The share routes' requests and answers (docs/api.md#share-links): the handlers parse with these and the OpenAPI
 * document is made from them.
 */

/** `POST /albums/{id}/shares` and `POST /images/{id}/shares`. */
export const ShareRequestSchema = z
  .strictObject(
    {
      expiresAt: z.iso
        .datetime({ offset: true })
        .optional()
        .meta({
          description: `When the link stops opening (ISO 8601, in the future, at most ${MAX_SHARE_DAYS} days away); none: never`,
        }),
      password: z.string().min(8).max(128).optional().meta({
        description: 'The link opens only with it (`X-Share-Password`): 8 to 128 characters, kept as a slow hash',
      }),
      allowDownload: z.boolean().optional().meta({ description: 'Viewers may download the originals. Default false' }),
    },
    { error: 'must be a JSON object {expiresAt?, password?, allowDownload?}' },
  )
  .meta({ id: 'ShareRequest' });
// The use case takes exactly what the handler parses.
const _requestChecked: SameType<ShareRequest, z.output<typeof ShareRequestSchema>> = true;

/** A link as its owner sees it: never its token or URL, which are answered once, when it is made. */
export const ShareSchema = z
  .object({
    shareId: z.string().meta({
      description:
        "The link's id (16 hex digits, as its events name it): `DELETE /shares/{id}` revokes it by this. It opens nothing",
    }),
    kind: z.enum(['album', 'image']),
    albumId: z.string().optional(),
    imageId: z.string().optional(),
    title: z.string().meta({ description: "The album's name when shared, or `Photo` (what the link's page says)" }),
    filename: z.string().optional().meta({
      description:
        "An image's link, listed by `GET /shares`: the photo's file name now (never shown on the link's page)",
    }),
    thumbnailUrl: z.string().optional().meta({
      description: "An image's link, listed by `GET /shares`: its smallest thumbnail, a short-lived signed URL",
    }),
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    protected: z.boolean().meta({ description: 'It opens only with its password' }),
    allowDownload: z.boolean(),
    views: z.number().int().min(0).meta({ description: 'How often it was opened (best effort)' }),
    revokedAt: z.string().optional(),
    state: z.enum(['active', 'expired', 'revoked']),
  })
  .meta({ id: 'Share' });

/** 201 of both `POST .../shares`: the one answer that holds the token and URL. */
export const CreatedShareSchema = z
  .object({
    token: z.string().meta({
      description:
        "The link's secret (43 characters): whoever holds it can open the link. Given only here: it is not kept, " +
        'and no later call answers it',
    }),
    url: z.string().meta({
      description:
        "The link, given only here: the web app's shared page (`/app/shared#<token>`: the token in the fragment, " +
        "which no server receives), or without the web app the API's `/shared/<token>`",
    }),
    share: ShareSchema,
  })
  .meta({ id: 'CreatedShare' });

// The use case answers exactly what the document says.
const _createdChecked: SameType<CreatedShare, z.output<typeof CreatedShareSchema>> = true;

/** `GET /shares` → 200. */
export const SharePageSchema = z
  .object({
    items: z.array(ShareSchema).meta({ description: "The caller's links, newest first" }),
    cursor: z.string().optional().meta({ description: 'Present while more may follow: pass it as `cursor`' }),
  })
  .meta({ id: 'SharePage' });

export const ListSharesQuerySchema = z.strictObject(
  {
    cursor: PageCursorParameter,
    limit: pageLimitParameter(100, 50).meta({ description: 'Links per page, 1 to 100 (default 50)' }),
  },
  QUERY_STRING_ERRORS,
);

/** The `{token}` that says the token is in the `X-Share-Token` header instead (as the web app and the CLI send it). */
export const TOKEN_IN_HEADER = '-';

/** `{token}` of `/shared/{token}`: any text; one that is no token is a 404, as an unknown one. */
export const TokenPathSchema = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .meta({
      description:
        `The link's token (43 characters, base64url), or \`${TOKEN_IN_HEADER}\` with the token in the \`X-Share-Token\` ` +
        "header: a URL holding the token is recorded by whatever records URLs (the API stage's X-Ray traces), a header is not",
    }),
});

/** `{id}` of `/shares/{id}`: a link's shareId or its token; anything else is a 404, as an unknown link. */
export const ShareIdPathSchema = z.object({
  id: z.string().min(1).max(200).meta({
    description:
      "The link's `shareId` (16 hex digits, from `GET /shares`, the answer that made it, or its events) or its token",
  }),
});

export const GetSharedQuerySchema = z.strictObject(
  {
    cursor: PageCursorParameter,
    limit: pageLimitParameter(50, 30).meta({ description: 'Images per page, 1 to 50 (default 30)' }),
  },
  QUERY_STRING_ERRORS,
);

/** One image of a shared page: where to see it, and nothing about it. */
export const SharedImageSchema = z
  .object({
    id: z.string().meta({
      description:
        "The photo's id within this link (22 characters): never its image id, whose first characters are its upload time",
    }),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    thumbnailUrl: z.string().meta({
      description:
        'A signed rendition, 400 px inside, with no metadata (no EXIF, no GPS) whatever the deployment keeps; it ' +
        'stops working when the link is revoked (within 10 s at the edge) or expires',
    }),
    viewUrl: z.string().meta({ description: 'A signed rendition, 1600 px inside, as `thumbnailUrl`' }),
    downloadUrl: z
      .string()
      .optional()
      .meta({
        description:
          'Only when the owner allowed downloads: the original, as uploaded (its metadata too). Each GET checks the ' +
          'link and redirects to a copy presigned for 30 s; a revoked or expired link answers 410',
      }),
  })
  .meta({ id: 'SharedImage' });

/** `GET /shared/{token}` → 200. */
export const SharedSchema = z
  .object({
    kind: z.enum(['album', 'image']),
    title: z.string(),
    allowDownload: z.boolean(),
    expiresAt: z.string().optional(),
    items: z.array(SharedImageSchema).meta({ description: 'The shared images (the trash and deleted ones left out)' }),
    cursor: z.string().optional().meta({ description: 'An album: present while more may follow' }),
  })
  .meta({ id: 'Shared' });

/** `POST /shared/{token}/save` body. */
export const SaveSharedRequestSchema = z.strictObject(
  {
    photo: z
      .string()
      .min(1)
      .max(100)
      .meta({ description: "The photo, by the link's own id for it (`items[].id` of `GET /shared/{token}`)" }),
  },
  { error: 'must be a JSON object {photo}' },
);
export type SaveSharedRequest = z.output<typeof SaveSharedRequestSchema>;

/** `POST /shared/{token}/save` → 202 or 200. */
export const SavedCopySchema = z
  .object({
    imageId: z.string().meta({ description: "The copy, the caller's own image (`GET /images/{id}`)" }),
    status: z.enum(['SAVING', 'SAVED']).meta({
      description:
        'SAVING: the copy was stored and the processor is analysing it (follow `GET /images/{id}`); SAVED: the caller ' +
        'saved this photo from this link before, and this is that copy (nothing new was made)',
    }),
    position: z.enum(['kept', 'removed']).meta({
      description:
        "`kept`: the link hands out the original (allowDownload), position and all, and so does the copy; `removed`: the copy's GPS was emptied from its bytes",
    }),
  })
  .meta({ id: 'SavedCopy' });
