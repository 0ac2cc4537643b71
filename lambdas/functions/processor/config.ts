import { z } from 'zod';
import { S3EnvSchema } from '../../shared/aws-clients';
import { parseEnv } from '../../shared/config';
import { PowertoolsEnvSchema } from '../../shared/powertools';
import { InferenceModeSchema } from '../../shared/settings';
import { INGEST_QUEUE_DESIGN } from '../../shared/table-design';

const csvInts = z
  .string()
  .transform((value) => value.split(',').map((part) => Number(part.trim())))
  .pipe(z.array(z.number().int().min(16).max(4096)).min(1).max(8));

/** Every environment variable the processor reads, parsed once at load. */
export const ProcessorEnvSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    BUCKET_NAME: z.string().min(1),
    EVENT_BUS_NAME: z.string().min(1),
    INFERENCE: InferenceModeSchema.default('none'),
    /** The offline inference function, required when INFERENCE=onnx. */
    INFER_FUNCTION_NAME: z.string().min(1).optional(),
    THUMBNAIL_SIZES: csvInts.default([128, 512, 1024]),
    MAX_PIXELS: z.coerce.number().int().positive().default(100_000_000),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    /** The queue's redrive maxReceiveCount: the attempt that reaches it is the last one. */
    MAX_RECEIVE_COUNT: z.coerce.number().int().positive().default(INGEST_QUEUE_DESIGN.maxReceiveCount),
    MODERATION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  })
  .extend(S3EnvSchema.shape)
  .extend(PowertoolsEnvSchema.shape)
  .refine((env) => env.INFERENCE !== 'onnx' || env.INFER_FUNCTION_NAME, {
    message: 'INFER_FUNCTION_NAME is required when INFERENCE=onnx',
    path: ['INFER_FUNCTION_NAME'],
  });

export type ProcessorConfig = z.output<typeof ProcessorEnvSchema>;

export function parseProcessorConfig(env: NodeJS.ProcessEnv): ProcessorConfig {
  return parseEnv(ProcessorEnvSchema, env, 'the processor');
}
