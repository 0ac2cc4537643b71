/** An execution's status, as Step Functions names it. */
export const BACKFILL_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'] as const;
export type BackfillStatus = (typeof BACKFILL_STATUSES)[number];
