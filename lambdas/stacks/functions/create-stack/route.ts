import type { ApiRouteFactory } from '../../../api/route';
import { CreateStackSchema, StackSchema } from '../stacks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/stacks',
  operationId: 'create-stack',
  access: 'write',
  summary: 'Stack photos: the lists show the primary once, with a count',
  description:
    "2 to 50 of the caller's PROCESSED photos. `GET /images` and the timeline then list the primary alone, with " +
    '`stack: {id, count}` (`stacked=expand` lists every frame); the others stay in search, albums and `GET /images/{id}`. ' +
    'Bursts (one camera, frames at most 1 s apart, near-duplicates) and one shot in two formats (the same base file ' +
    'name and time: RAW+JPEG, HEIC+JPEG) are stacked as they arrive.',
  request: { body: CreateStackSchema },
  answers: { 201: { description: 'The stack', body: StackSchema } },
  errors: {
    400: 'A malformed body: fewer than 2 or more than 50 image ids, a primary not among them',
    404: "An image that does not exist or is another owner's",
    409: 'An image not PROCESSED, locked, archived or already in a stack (the message says which), or one that changed while the stack was being made',
  },
});
