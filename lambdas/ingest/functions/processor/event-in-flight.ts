import type { ImageItem } from '../../../store/image-item';
import type { ProcessorDeps } from './ports';

/**
 * The record is final and its event is being published by the delivery that stored it: this one is retried, and
 * then finds the event out (DUPLICATE). Not a failure of the image.
 */
export class EventInFlightError extends Error {
  override readonly name = 'EventInFlightError';
}

/** Whether the run that stored `existing` may still be running: it was stored less than a processor timeout ago. */
export function mayStillPublish(existing: ImageItem, deps: ProcessorDeps): boolean {
  const { timeoutSeconds } = deps.options;
  if (timeoutSeconds === undefined) return false;
  const now = (deps.now?.() ?? new Date()).getTime();
  return now - Date.parse(existing.updatedAt) < timeoutSeconds * 1000;
}
