import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ImageIdPathSchema } from '../../../api/schemas';
import { normalizeName } from '../../../store/labels';
import { tagRequestSchema, UPLOAD_METADATA_LIMITS } from '../../../store/upload-metadata';
import { EditEnvSchema, editEnvironment } from '../edit-contract';

/** `PATCH /images/{id}/tags`: every variable it reads. */
export const EditTagsEnvSchema = EditEnvSchema;
export const environmentFor = editEnvironment;

const { maxTags } = UPLOAD_METADATA_LIMITS;

/** How two tags compare: as `tag=` finds them (normalised), or as given when nothing of one is left to compare. */
export const tagKey = (tag: string) => normalizeName(tag) || tag;
const tags = z
  .array(tagRequestSchema(), { error: 'must be an array of strings' })
  .max(maxTags, `at most ${maxTags} tags`)
  .default([]);

/** `PATCH /images/{id}/tags` body: tags to add and to take away, each as `POST /uploads` takes a tag. */
export const TagChangeSchema = z
  .strictObject({ add: tags, remove: tags }, { error: 'must be a JSON object {add?, remove?}' })
  .refine((change) => change.add.length + change.remove.length > 0, 'add or remove at least one tag')
  .refine(
    (change) => !change.add.some((tag) => change.remove.map(tagKey).includes(tagKey(tag))),
    'a tag cannot be both added and removed',
  );
export type TagChange = z.output<typeof TagChangeSchema>;

/** `PATCH /images/{id}/tags` → 200: the image's tags after the change. */
export const TagsAnswerSchema = z
  .object({
    imageId: z.string(),
    tags: z.array(z.string()).meta({ description: 'The tags now, in the order they were given' }),
  })
  .meta({ id: 'ImageTags' });

export const route: ApiRouteFactory = () => ({
  method: 'PATCH',
  path: '/images/{id}/tags',
  operationId: 'edit-tags',
  access: 'write',
  summary: "Add or take away an image's tags",
  description:
    'An added tag joins the end of the list unless the image has it already (case, accents and punctuation ' +
    'ignored, as `tag=` compares); a removed one takes away every tag it equals so. `tag=` and `q=` find the image ' +
    `by its tags now at once; an image has at most ${maxTags}. Kept through re-analysis. Publishes \`Image Updated\`.`,
  request: { path: ImageIdPathSchema, body: TagChangeSchema },
  answers: { 200: { description: 'The tags now', body: TagsAnswerSchema } },
  errors: {
    400: `A malformed body: not an object, no tag, a tag that is blank, too long or has a control character, one both added and removed, or more than ${maxTags} tags in all`,
    404: "No such image, or another owner's",
    409: 'The image is not PROCESSED yet, or changed while it was being edited (try again)',
  },
});
