import type { IRunCounters } from '../../../backfill/run-counters';
import type { IEventPublisher } from '../../../events/events';
import type { StepDeps, StepList } from '../../../kit/processor-step';
import type { ISearchIndex } from '../../../search/index-port';
import type { SourceBucket } from '../../../settings';
import type { IObjectHeads } from '../../../store/object-store';

export type { Attempt, Outcome } from '../../../kit/processor-step';

/**
 * What the processor works with: its steps (the registry's list), what it hands every step (StepDeps), its own
 * adapters, and each step's, which that step opened (so typed by the registry, which knows every step).
 */
export interface ProcessorDeps extends StepDeps {
  /** The steps, in order (lambdas/manifest/steps.ts), handed to the processor by its entry point or a test. */
  steps: StepList;
  /** Where the image's search postings go (nothing for an image without an owner). */
  index: Pick<ISearchIndex, 'upsert' | 'remove'>;
  events: IEventPublisher;
  /**
   * Reads a watched object's LastModified, which its image id hangs on (backfill/object-created.ts); none: the
   * source buckets' EventBridge events cannot be taken (each fails, to the DLQ).
   */
  heads?: IObjectHeads;
  /** The `sourceBuckets` entries: a watched object's owner is its entry's. */
  sources?: readonly SourceBucket[];
  /** Where a backfill's outcomes are counted; none: not counted. */
  runs?: IRunCounters;
}
