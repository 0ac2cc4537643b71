import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { IMAGE_ID_PATTERN } from '../../../store/keys';
import { MAX_RESOLVED_IMAGES } from '../../carry-over-contract';
import { ClusterIdPathSchema } from '../duplicates-contract';

const ImageIds = z.array(z.string().regex(IMAGE_ID_PATTERN, 'must be image ids'));

/** `POST /duplicates/{id}/resolve` body. */
export const ResolveDuplicatesSchema = z.strictObject(
  {
    keep: ImageIds.min(1, 'must keep at least one photo').meta({
      description:
        'The photos kept; the first gets what the owner gave the copies (tags, albums, favourite, place, faces named)',
    }),
    trash: ImageIds.meta({ description: 'The copies, moved to the trash (restorable as any trashed photo)' }),
  },
  { error: 'must be a JSON object {"keep": [...], "trash": [...]}' },
);

export const ResolvedSchema = z
  .object({
    clusterId: z.string(),
    kept: z.string().meta({ description: 'The photo that got what the copies carried' }),
    trashed: z.array(z.string()),
    carried: z
      .object({
        tags: z.array(z.string()),
        albums: z.array(z.string()),
        favourite: z.boolean(),
        people: z.number().int().meta({
          description:
            "The kept photo's faces the owner's word on a copy's changed: named, given to a person, drawn, or taken out of one",
        }),
        places: z.number().int(),
      })
      .meta({
        description:
          'What the resolve carried over to the kept photo; a retry of a resolved cluster answers the same (nothing is carried twice)',
      }),
  })
  .meta({ id: 'DuplicatesResolved' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/duplicates/{id}/resolve',
  operationId: 'resolve-duplicates',
  access: 'write',
  summary: 'Keep the best of a cluster of near-duplicates, and move the copies to the trash',
  description:
    'What the owner gave the copies is carried to the first photo kept: their tags, their albums, a favourite, a ' +
    "place they corrected (when the kept photo has none of the owner's), and what they said of the copies' faces " +
    "(named, given to a person, drawn, taken out of one), said of the kept photo's same faces where the owner said " +
    'nothing of those yet. Then each copy goes to the trash, as `DELETE /images/{id}` moves it (restorable), the ' +
    'cluster leaves `GET /duplicates`, and `Duplicates Resolved` is published. Idempotent: the same request again ' +
    '(the same `keep[0]`, the same photos kept and trashed) answers what the resolve answered and changes nothing; ' +
    'after a failure part-way it finishes the resolve.',
  request: { path: ClusterIdPathSchema, body: ResolveDuplicatesSchema },
  answers: { 200: { description: 'Resolved', body: ResolvedSchema } },
  errors: {
    400: `A photo named twice, both kept and trashed, not of this cluster, or more than ${MAX_RESOLVED_IMAGES} in all`,
    404: "No such cluster (or another owner's, or one its photos left before any review); a photo gone, or in the locked folder",
    409: 'The cluster was resolved by another request (the message names the photo kept) or dismissed; a kept photo is in the trash or not PROCESSED; the deployment keeps no trash (`trashDays` 0); a face or a record kept changing (ask again)',
  },
});
