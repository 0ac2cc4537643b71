import type { ApiRouteFactory } from '../../../api/route';
import { StackIdPathSchema, StackPrimarySchema, StackSchema } from '../stacks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/stacks/{id}/primary',
  operationId: 'set-stack-primary',
  access: 'write',
  summary: 'Choose the frame the lists show for a stack',
  description: 'The lists show this frame with the count from now on; the one before goes behind it.',
  request: { path: StackIdPathSchema, body: StackPrimarySchema },
  answers: { 200: { description: 'The stack', body: StackSchema } },
  errors: {
    400: 'Not a stack id, a malformed body, or an image that is no frame of the stack',
    404: "No such stack, or another owner's",
    409: 'The stack changed while its primary was being set (try again)',
  },
});
