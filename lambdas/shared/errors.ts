/**
 * Base of the errors this application throws on purpose. `statusCode` is what an HTTP caller gets; below 500 the
 * message is meant for the caller, from 500 up it is logged and never sent (it may name tables, keys or hosts).
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  readonly statusCode: number = 500;
}

/** The request is malformed; the message says which field and why. */
export class BadRequestError extends AppError {
  override readonly name = 'BadRequestError';
  override readonly statusCode = 400;
}

/** The request carries no identity the API's auth would have verified. */
export class UnauthenticatedError extends AppError {
  override readonly name = 'UnauthenticatedError';
  override readonly statusCode = 401;
}

/** The caller is known but may not do this. */
export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  override readonly statusCode = 403;
}

/** The body is not of a type the route takes (a JSON route's body sent as text/plain). */
export class UnsupportedMediaTypeError extends AppError {
  override readonly name = 'UnsupportedMediaTypeError';
  override readonly statusCode = 415;
}

/** The addressed resource does not exist. */
export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  override readonly statusCode = 404;
}

/** EventBridge accepted the call but refused the entry (FailedEntryCount > 0). */
export class EventPublishError extends AppError {
  override readonly name = 'EventPublishError';
}

/** S3 refused to delete some of the keys it was given. */
export class ObjectDeleteError extends AppError {
  override readonly name = 'ObjectDeleteError';
}

/** The resource is not in a state that allows this yet (an image still PENDING has no analysis). */
/** Past a rate limit: `retryAfterSeconds` is when the caller may try again (`Retry-After`). */
export class TooManyRequestsError extends AppError {
  override readonly name = 'TooManyRequestsError';
  override readonly statusCode = 429;

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  override readonly statusCode = 409;
}
