import { AppError } from '../../../shared/errors';
import { type VisionRequest, VisionRequestSchema } from './contract';

/*
 * The vision function's refusals: named errors, which Lambda reports as the `errorType` the processor reads
 * (contract.ts lists them in PERMANENT_VISION_ERRORS), and the request parsed or refused.
 */

/** The event is not a `VisionRequest`; the message names the field. */
export class VisionRequestError extends AppError {
  override readonly name = 'VisionRequestError';
  override readonly statusCode = 400;
}

/** The object the request names does not exist (deleted since the processor wrote it). */
export class SourceImageMissingError extends AppError {
  override readonly name = 'SourceImageMissingError';
  override readonly statusCode = 404;
}

/** The object the request names is larger than `MAX_UPLOAD_BYTES`. */
export class SourceImageTooLargeError extends AppError {
  override readonly name = 'SourceImageTooLargeError';
  override readonly statusCode = 413;
}

/** Parse an invocation's event, or fail with a `VisionRequestError` naming what is wrong. */
export function parseVisionRequest(event: unknown): VisionRequest {
  const parsed = VisionRequestSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
  throw new VisionRequestError(`not a vision request: ${problems.join('; ')}`);
}
