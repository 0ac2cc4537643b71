import { z } from 'zod';
import type { FunctionEnvironment } from '../../api/env';
import { minimumOverlapSeconds, type OverlapInputs } from '../../renditions/signing-keys';
import { PowertoolsEnvSchema } from '../../shared/powertools';

/**
 * The rotation function of the rendition signing key: every variable it reads. The secret is not one of them:
 * Secrets Manager names it in each event.
 */
export const RotateRenditionKeyEnvSchema = PowertoolsEnvSchema.extend({
  /** Seconds an old key is kept after its successor is made: long enough for every URL signed with it to expire. */
  KEY_OVERLAP_SECONDS: z.coerce.number().int().min(0),
});
export type RotateRenditionKeyEnv = z.output<typeof RotateRenditionKeyEnvSchema>;

/** What the overlap is derived from: the URL lifetime and expiry window settings, and the key propagation delay. */
export type RotateRenditionKeyWiring = OverlapInputs;

/** The environment the stack gives the rotation function: the shortest overlap that never breaks a live URL. */
export function environmentFor(wiring: RotateRenditionKeyWiring): FunctionEnvironment {
  return { KEY_OVERLAP_SECONDS: String(minimumOverlapSeconds(wiring)) };
}
