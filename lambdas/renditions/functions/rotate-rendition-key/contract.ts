import { z } from 'zod';
import type { DeploymentSettings } from '../../../settings';
import type { FunctionEnvironment } from '../../../settings/env';
import { PowertoolsEnvSchema } from '../../../shared/contract';
import { EXPIRY_WINDOW_SECONDS, KEY_CACHE_SECONDS, minimumOverlapSeconds } from '../../signing-contract';

/**
 * The rotation function of the rendition signing key: every variable it reads. The secret is not one of them:
 * Secrets Manager names it in each event.
 */
export const RotateRenditionKeyEnvSchema = PowertoolsEnvSchema.extend({
  /** Seconds an old key is kept after its successor is made: long enough for every URL signed with it to expire. */
  KEY_OVERLAP_SECONDS: z.coerce.number().int().min(0),
});
export type RotateRenditionKeyEnv = z.output<typeof RotateRenditionKeyEnvSchema>;

/** What the overlap is derived from: the longest URL lifetime (with the expiry window and key propagation delay). */
export interface RotateRenditionKeyWiring {
  readonly settings: Pick<DeploymentSettings, 'renditionUrlTtlSeconds'>;
}

/** The environment the stack gives the rotation function: the shortest overlap that never breaks a live URL. */
export function environmentFor({ settings }: RotateRenditionKeyWiring): FunctionEnvironment {
  const overlap = minimumOverlapSeconds({
    urlTtlSeconds: settings.renditionUrlTtlSeconds,
    expiryWindowSeconds: EXPIRY_WINDOW_SECONDS,
    propagationSeconds: KEY_CACHE_SECONDS,
  });
  return { KEY_OVERLAP_SECONDS: String(overlap) };
}
