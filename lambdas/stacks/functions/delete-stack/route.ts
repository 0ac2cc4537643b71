import type { ApiRouteFactory } from '../../../api/route';
import { StackIdPathSchema } from '../stacks-contract';

export const route: ApiRouteFactory = () => ({
  method: 'DELETE',
  path: '/stacks/{id}',
  operationId: 'delete-stack',
  access: 'write',
  summary: 'Unstack: every frame is listed on its own again',
  description:
    'The photos stay; only the stack goes. A burst unstacked is not stacked again until a frame is re-analysed.',
  request: { path: StackIdPathSchema },
  answers: { 204: { description: 'Unstacked' } },
  errors: {
    400: 'Not a stack id',
    404: "No such stack, or another owner's",
    409: 'The stack changed while it was being unstacked (try again)',
  },
});
