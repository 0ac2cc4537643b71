import type { ApiRouteFactory } from '../../../api/route';
import { StackIdPathSchema, StackSchema } from '../stacks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/stacks/{id}',
  operationId: 'get-stack',
  access: 'read',
  summary: "Read a stack: its frames, the primary first (a viewer's strip)",
  description: "The caller's own stack; each frame with its thumbnails' links and when it was taken.",
  request: { path: StackIdPathSchema },
  answers: { 200: { description: 'The stack', body: StackSchema } },
  errors: { 400: 'Not a stack id', 404: "No such stack, or another owner's" },
});
