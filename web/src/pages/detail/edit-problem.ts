import { ApiError, errorMessage } from '../../api';

/**
 * An owner's edit that failed, in words: the API's own message. A 409 (the image changed meanwhile, or is not
 * PROCESSED yet) is worth another go, so it says to try again where the API's message does not already.
 */
export function editProblem(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.status === 409 && !/try again/i.test(message)) {
    return `${message}. Try again in a moment.`;
  }
  return message;
}
