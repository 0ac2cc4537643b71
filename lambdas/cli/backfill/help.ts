import { EXIT } from '../record';

/**
 * `image-intel backfill`'s exit codes: the shared ones, plus two for a wait that ended before the run did (the run
 * itself goes on in Step Functions, and the processor with what it queued).
 */
export const BACKFILL_EXIT = {
  ...EXIT,
  /** --timeout passed, or the run could no longer be read. */
  stoppedWaiting: 4,
  /** Ctrl-C: 128 + SIGINT, as a shell reports it. */
  interrupted: 130,
} as const;

/** `backfill --help`'s account of a run and its exit codes, apart from backfill.ts (it loads the AWS SDK). */
export const BACKFILL_EXIT_HELP = `
The bucket must be the deployment's own (under uploads/) or one of its
sourceBuckets (the BackfillSources output); the run lists bucket/prefix and
queues each object for the processor. It is finished when the execution has
SUCCEEDED and the processor has an outcome for every object it queued.

Exit codes:
  ${BACKFILL_EXIT.ok}    the run finished (REJECTED objects are outcomes too: each has its
       record); with --no-wait: the run was started
  ${BACKFILL_EXIT.someRejectedOrFailed}    the run finished but some object failed its last attempt (in the
       DLQ) or could not be queued, or the execution failed (its error and
       cause on stderr)
  ${BACKFILL_EXIT.usage}    usage error: neither --stack nor --api, no --bucket, a bad value
  ${BACKFILL_EXIT.noTarget}    nothing was started: the stack or its outputs could not be read,
       the deployment may not read that bucket or prefix, the bucket does
       not exist, a run over the same bucket and an overlapping prefix is
       not done yet (it is named; --force starts anyway), or Step Functions
       refused to start the run
  ${BACKFILL_EXIT.stoppedWaiting}    --timeout passed, or the run could no longer be read: the run goes
       on (its id and how to follow it on stderr)
  ${BACKFILL_EXIT.interrupted}  Ctrl-C stopped the wait: the run goes on
`;
