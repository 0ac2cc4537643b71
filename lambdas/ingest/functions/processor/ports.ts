import type { IEventPublisher } from '../../../events/events';
import type { StepDeps, StepList } from '../../../kit/processor-step';
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
  events: IEventPublisher;
  /**
   * Reads a watched object's LastModified, which its image id hangs on; none: the source buckets' EventBridge events
   * cannot be taken (each fails, to the DLQ).
   */
  heads?: IObjectHeads;
  /** The `sourceBuckets` entries: a watched object's owner is its entry's. */
  sources?: readonly SourceBucket[];
  /** Where the outcomes of a notice's run (`UploadNotice.run`) are counted; none: not counted. */
  runs?: { add(run: string, seed: string, outcome: string): Promise<void> };
}
