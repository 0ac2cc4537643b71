import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import type { SameType } from '../../../api/schemas';
import { PersonSchema } from '../people-api';
import { type FacesRemovedAnswer, PersonImagePathSchema, RemoveFacesQuerySchema } from './remove-person-faces';

export const FacesRemovedSchema = z
  .object({
    imageId: z.string(),
    faces: z.array(z.number().int().min(0)).meta({ description: 'The faces taken out (indexes in `vision.faces`)' }),
    person: PersonSchema.nullable().meta({ description: 'The person now; null if those were its last faces' }),
  })
  .meta({ id: 'FacesRemoved' });

// The use case answers exactly what the document says.
const _answerChecked: SameType<FacesRemovedAnswer, z.output<typeof FacesRemovedSchema>> = true;

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/people/{id}/images/{imageId}',
  operationId: 'remove-person-faces',
  access: 'write',
  summary: 'Not this person: take an image’s faces out of a person',
  description:
    'Only with face grouping on (docs/people.md, corrections). The faces stay unassigned: neither grouping nor a ' +
    're-cluster puts them in a person again. The image is no longer found with `person=`. A person left without ' +
    'faces is deleted.',
  request: { path: PersonImagePathSchema, query: RemoveFacesQuerySchema },
  answers: { 200: { description: 'What was taken out, and the person now', body: FacesRemovedSchema } },
  errors: {
    400: 'The id is not a person id, the image id is not one, or `face` is not a face index',
    404: "No such person (or another owner's), or no face of it in the image",
    409: 'The person or the image kept changing (ask again)',
  },
});
