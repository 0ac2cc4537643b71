import type { StepDeps } from './processor-step';

/** An error as a record or a note keeps it: its name, and its message cut to 500 characters. */
export function errorDetails(error: unknown): { code: string; message: string } {
  return {
    code: error instanceof Error ? error.name : 'Error',
    message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
  };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * Whether another attempt may succeed: throttling, 5xx, timeouts and dropped connections, or what an error that knows
 * says of itself (`transient`, as the vision function's refusals do: lambdas/vision/steps/providers.ts). Anything
 * else (a 4xx other than throttling, a result that fails validation) is the same on every attempt.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof Error && typeof (error as { transient?: unknown }).transient === 'boolean') {
    return (error as unknown as { transient: boolean }).transient;
  }
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable) return true;
  if (e.name && THROTTLING.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(e.code ?? '');
}

/** Delete objects a run wrote for an image that was deleted meanwhile (a step's `undo`). */
export async function takeBack(deps: StepDeps, bucket: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const remover = deps.cleanup?.remover;
  if (!remover) throw new Error(`${keys.length} objects to take back, and nothing to delete them with`);
  await remover.deleteObjects(bucket, keys);
}
