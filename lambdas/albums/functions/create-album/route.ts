import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { AlbumNameSchema, AlbumOrderSchema, AlbumSchema, SmartQuerySchema } from '../albums-contract';

/** `POST /albums` body: a name, and for a smart album its search. */
export const CreateAlbumSchema = z.strictObject(
  {
    name: AlbumNameSchema,
    smart: SmartQuerySchema.optional().meta({
      description: 'A smart album: its search, `GET /images`\'s filters (e.g. `{"q": "beach"}`, `{"tag": ["trip"]}`)',
    }),
    order: AlbumOrderSchema.optional().meta({
      description: '`added` (default): newest added first; `taken`: newest date taken first (manual albums)',
    }),
  },
  { error: 'must be a JSON object {name, smart?, order?}' },
);

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/albums',
  operationId: 'create-album',
  access: 'write',
  summary: 'Make an album, or a smart album (a saved search)',
  description:
    'A manual album holds the images added to it (`POST /albums/{id}/images`). A smart album holds what its search ' +
    'finds each time it is read, as `GET /images` with its filters would answer its owner, so a photo uploaded after ' +
    'it was made is in it once processed. At most 10,000 albums per owner.',
  request: { body: CreateAlbumSchema },
  answers: { 201: { description: 'The album', body: AlbumSchema } },
  errors: {
    400: 'A malformed body: no name, a search filter `GET /images` refuses, a smart album with no filter or `order: taken`',
    429: 'The owner has 10,000 albums already',
  },
});
