import type { z } from 'zod';
import { describeIssues } from './values';

/**
 * Parse a function's environment once, at load: a missing or malformed variable fails the cold start with its
 * name in the message instead of surfacing later as `undefined`.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, functionName: string): z.output<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment for ${functionName}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
