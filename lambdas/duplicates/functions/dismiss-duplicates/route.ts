import { z } from 'zod';
import type { ApiRouteFactory } from '../../../api/route';
import { ClusterIdPathSchema } from '../duplicates-contract';

export const DismissedSchema = z
  .object({
    clusterId: z.string(),
    dismissed: z.array(z.string()).meta({ description: 'Its photos, never clustered together again' }),
  })
  .meta({ id: 'DuplicatesDismissed' });

export const route: ApiRouteFactory = () => ({
  method: 'POST',
  path: '/duplicates/{id}/dismiss',
  operationId: 'dismiss-duplicates',
  access: 'write',
  summary: 'Say the photos of a cluster are not duplicates',
  description:
    'The cluster leaves `GET /duplicates`, and its photos are never clustered with each other again (a later copy ' +
    'of one of them still clusters with it). Every photo stays where it is. Idempotent: a cluster dismissed already ' +
    'answers the same again.',
  request: { path: ClusterIdPathSchema },
  answers: { 200: { description: 'Dismissed', body: DismissedSchema } },
  errors: {
    400: 'The id is not a cluster id',
    404: "No such cluster, or another owner's, or one its photos left before any review",
    409: 'The cluster was resolved (the message names the photo kept)',
  },
});
