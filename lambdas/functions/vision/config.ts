import { z } from 'zod';

/** Every environment variable the inference function reads, parsed once at start; a bad one names itself. */
const EnvSchema = z.object({
  MODERATION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.8),
  POWERTOOLS_SERVICE_NAME: z.string().default('image-intel-infer'),
});

export type InferConfig = z.infer<typeof EnvSchema>;

export function parseConfig(env: NodeJS.ProcessEnv): InferConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid environment for the inference function: ${problems}`);
  }
  return parsed.data;
}
