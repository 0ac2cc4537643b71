import type { ImageFormat, RejectionCode } from './record';

/** The input itself is unacceptable: recorded as REJECTED, never retried. */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';

  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly detectedFormat?: ImageFormat,
  ) {
    super(message);
  }
}
