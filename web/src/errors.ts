/*
 * The app's errors, apart from the API client so that pure modules (a bulk run's bookkeeping) and their unit tests
 * do not load the client and its configuration.
 */

/** An API answer that was not a 2xx, with the API's own message (`{"message": "..."}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A 429's `Retry-After`, in seconds. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
