import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ModerationRulesSchema } from '../../contract';
import { PolicyQuerySchema, PolicySchema } from '../policy-contract';

/** `PUT /policy` body: the whole policy, replacing the one before. */
export const SetPolicySchema = z.strictObject(
  {
    rules: ModerationRulesSchema.meta({
      description:
        'Each: a category, a threshold (0-1) and an action (`flag`, `blur`, `reject`); at most one per category and ' +
        'action. An empty list acts on nothing.',
    }),
  },
  { error: 'must be a JSON object with "rules"' },
);

export const route: ApiRouteFactory = () => ({
  method: 'PUT',
  path: '/policy',
  operationId: 'set-policy',
  access: 'write',
  summary: "Set an owner's moderation policy",
  description:
    'Replaces the whole policy. It applies to the images the pipeline analyses from then on (a backfill with ' +
    '`reprocess` applies it to earlier ones): `flag` flags the image, `blur` blurs its thumbnails and every ' +
    'rendition, `reject` makes it REJECTED (`MODERATION_POLICY`) and keeps its original. A policy an admin set for ' +
    'an owner (`updatedBy` another than the owner) stands: only an admin may change it.',
  request: { query: PolicyQuerySchema, body: SetPolicySchema },
  answers: { 200: { description: 'The policy as stored', body: PolicySchema } },
  errors: {
    400: 'A malformed rule (an unknown category or action, a threshold outside 0-1, two rules alike) or owner',
    403: "`owner` names another owner and the caller is not an admin, or an admin set the caller's policy (only an admin may change it)",
  },
});
