import type { ApiRouteFactory } from '../../../api/route';
import { PolicyQuerySchema, PolicySchema } from '../policy-contract';

export const route: ApiRouteFactory = () => ({
  method: 'GET',
  path: '/policy',
  operationId: 'get-policy',
  access: 'read',
  summary: "Read an owner's moderation policy",
  description:
    "The caller's own policy, or the deployment's default (`source: default`: every moderation category flagged at " +
    'the `moderationThreshold` setting, and `Tampered Credentials` at 1) when they have set none. docs/vision.md ' +
    'lists the categories.',
  request: { query: PolicyQuerySchema },
  answers: { 200: { description: 'The policy that applies to the owner', body: PolicySchema } },
  errors: { 400: 'A malformed owner', 403: '`owner` names another owner and the caller is not an admin' },
});
