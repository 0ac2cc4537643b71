import { z } from 'zod';
import { PowertoolsEnvSchema } from './powertools';
import { DeploymentSettingsSchema } from './settings';

/**
 * What every API function reads. Lists use the deployment settings' own parsers, so the stack and the functions
 * agree on what `a,b` means.
 */
export const ApiEnvSchema = PowertoolsEnvSchema.extend({
  TABLE_NAME: z.string().min(1),
  /** Comma-separated; empty (the default) means no browser origin gets CORS headers. */
  CORS_ORIGINS: DeploymentSettingsSchema.shape.corsOrigins,
});

/** Seconds a presigned URL lives: an integer from 1 s to 7 days (SigV4's limit). */
export const urlTtlSeconds = (defaultSeconds: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(defaultSeconds);
