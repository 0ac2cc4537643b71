import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import type { DeploymentSettings } from '../../settings';
import type { FunctionEnvironment } from '../../settings/env';
import { IMAGE_ID_PATTERN } from '../../store/keys';
import { CarryOverEnvSchema, type CarryOverWiring, carryOverEnvironment } from '../carry-over-contract';
import { type DuplicatesWiring, duplicatesTableOf } from '../table-design';

/*
 * What the duplicates routes share (`/duplicates...`, docs/api.md#duplicates): their environment and a cluster as they
 * answer it. What they run with is in duplicates-api.ts.
 */

/** Every variable a duplicates route reads. */
export const DuplicatesEnvSchema = ApiEnvSchema.extend({
  /** The near-duplicates table (lambdas/duplicates/table-design.ts). */
  DUPLICATES_TABLE: z.string().min(1),
  ...SinkEnvShape,
});
export type DuplicatesEnv = z.output<typeof DuplicatesEnvSchema>;

export interface DuplicatesRouteWiring extends ApiWiring, SinkWiring {
  readonly duplicates?: DuplicatesWiring;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth'>;
}

/** The environment the stack and the local runner give each duplicates route. */
export function duplicatesEnvironment(wiring: DuplicatesRouteWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), DUPLICATES_TABLE: duplicatesTableOf(wiring), ...sinkEnvironment(wiring) };
}

/** The resolve route's variables: the carry-over's (carry-over-contract.ts) and the duplicates table. */
export const ResolveDuplicatesEnvSchema = CarryOverEnvSchema.extend({ DUPLICATES_TABLE: z.string().min(1) });

/** The resolve route's environment. */
export function resolveDuplicatesEnvironment(wiring: CarryOverWiring & DuplicatesRouteWiring): FunctionEnvironment {
  return { ...carryOverEnvironment(wiring), DUPLICATES_TABLE: duplicatesTableOf(wiring) };
}

/** A cluster id: a ULID, as image ids are. */
export const CLUSTER_ID_PATTERN = IMAGE_ID_PATTERN;

/** `{id}` of `/duplicates/{id}/...`. */
export const ClusterIdPathSchema = z.object({
  id: z.string().regex(CLUSTER_ID_PATTERN, 'must be a cluster id').meta({ description: 'The cluster' }),
});

/** A photo of a cluster, with what the suggestion weighed. */
export const ClusterMemberSchema = z
  .object({
    imageId: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int().meta({ description: "The original's size in bytes" }),
    quality: z.number().optional().meta({ description: 'Its quality score (higher is better), when measured' }),
    metadataCount: z
      .number()
      .int()
      .meta({ description: 'How many metadata fields it carries (camera, date, place...)' }),
    takenAt: z.string().optional().meta({ description: "When it was taken, as the camera's clock said" }),
  })
  .meta({ id: 'ClusterMember' });

/** An open cluster of near-duplicates as `GET /duplicates` answers it. */
export const DuplicateClusterSchema = z
  .object({
    clusterId: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    members: z.array(ClusterMemberSchema).meta({ description: 'Its photos, the suggested one first' }),
    suggestion: z
      .object({
        keep: z.string().meta({ description: 'The photo to keep' }),
        reason: z.string().meta({ description: 'Why, in words' }),
      })
      .meta({ description: 'Which to keep: the highest quality score, then the most pixels, then the most metadata' }),
  })
  .meta({ id: 'DuplicateCluster' });
