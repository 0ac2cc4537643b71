import { z } from 'zod';

/** The variables every function's SDK clients and Powertools read: descriptions the stack and the functions share. */

/**
 * The Powertools variables every function gets, parsed with the rest of its environment so a typo in a log level
 * fails the cold start instead of silently logging at INFO.
 */
export const PowertoolsEnvSchema = z.object({
  POWERTOOLS_SERVICE_NAME: z.string().min(1).default('image-intel'),
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('ImageIntel'),
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .transform((level) => level.toUpperCase())
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']))
    .optional(),
});
export type PowertoolsEnv = z.output<typeof PowertoolsEnvSchema>;

/** `AWS_S3_FORCE_PATH_STYLE=true` for emulators that cannot serve `<bucket>.<host>` virtual-hosted URLs. */
export const S3EnvSchema = z.object({
  AWS_S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', ''])
    .default('false')
    .transform((value) => value === 'true'),
});
export type S3Env = z.output<typeof S3EnvSchema>;
