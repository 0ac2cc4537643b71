import type { ImageItem } from '../../../store/image-item';
import type { Attempt, ProcessorDeps } from './ports';

/**
 * The record is final and its event is being published by the delivery that stored it: this one is retried, and
 * then finds the event out (DUPLICATE). Not a failure of the image.
 */
export class EventInFlightError extends Error {
  override readonly name = 'EventInFlightError';
}

/**
 * Whether the run that stored `existing` may still be running: another message's (S3 sends a notification at least
 * once), stored less than a processor timeout ago. A run of this same message is over: SQS hands a message out again
 * only once its last receive gave it back or outlived the visibility timeout, which is longer than the processor's.
 * Waiting on it would only spend this message's receives (the local runner gives a failed message back within
 * seconds), and its last would send the image to the DLQ with its event still unpublished.
 */
export function mayStillPublish(existing: ImageItem, attempt: Attempt, deps: ProcessorDeps): boolean {
  if (attempt.message !== undefined && existing.eventPendingFrom === attempt.message) return false;
  const { timeoutSeconds } = deps.options;
  if (timeoutSeconds === undefined) return false;
  const now = (deps.now?.() ?? new Date()).getTime();
  return now - Date.parse(existing.updatedAt) < timeoutSeconds * 1000;
}
