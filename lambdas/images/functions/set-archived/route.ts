import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `PUT /images/{id}/archived`: every variable it reads (an edit's: it publishes `Image Updated`). */
export const SetArchivedEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

/** `PUT /images/{id}/archived` body, and its answer's part: whether the image is archived. */
const archived = z.boolean({ error: 'must be true or false' }).meta({ description: 'Archived, or not' });

export const ArchivedChangeSchema = z.strictObject({ archived }, { error: 'must be a JSON object {archived}' });
export type ArchivedChange = z.output<typeof ArchivedChangeSchema>;

/** `PUT /images/{id}/archived` → 200: whether the image is archived now. */
export const ArchivedAnswerSchema = z.object({ imageId: z.string(), archived }).meta({ id: 'ImageArchived' });

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/images/{id}/archived',
  operationId: 'set-archived',
  access: 'write',
  summary: 'Archive an image, or bring it back',
  description:
    '`archived=true` takes it out of the timeline and the default `GET /images` (`GET /images?archived=true` lists ' +
    'it); it stays in its albums, places, people and searches. `false` brings it back. Publishes `Image Updated` ' +
    'when it changes (setting what it is already changes nothing and publishes nothing).',
  request: { path: ImageIdPathSchema, body: ArchivedChangeSchema },
  answers: { 200: { description: 'Whether it is archived now', body: ArchivedAnswerSchema } },
  errors: {
    400: 'A malformed body: not an object `{archived: true | false}`',
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, has no owner, or changed while it was being edited (try again)',
  },
});
