import type { EnrichmentStep } from '../../kit/processor-step';
import { errorDetails } from '../../kit/step-helpers';
import { createDocumentClient } from '../../shared/aws-clients';
import { autoStack, postingsOf } from '../auto-stack';
import { type PostingPort, type StackPort, StackStore } from '../stack-store';
import { leaveStack } from '../stacks';

/** The stacks table, by both its ports (absent in a processor's test that leaves stacks out). */
export interface StackStepDeps {
  stacks?: StackPort;
  postings?: PostingPort;
}

/**
 * The `stack` step: the stored photo stacked with the frames of its burst or the other formats of its shot
 * (auto-stack.ts). A failure is noted, not thrown: the photo is stored and announced by now, and a retry of the
 * message would find it final and stop before this step; the photo is then listed on its own, as before stacks.
 * A re-owned photo leaves its old owner's stack and takes its postings with it (`leave`), so no frame of the old
 * owner's is stacked with it again; it is stacked afresh among its new owner's photos as it is processed for them.
 */
export const stackStep: EnrichmentStep<StackStepDeps> = {
  name: 'stack',
  when: 'accepted',
  open: (config: { TABLE_NAME: string; STACKS_TABLE: string }, { tracer }) => {
    const store = new StackStore(createDocumentClient(tracer), config.STACKS_TABLE, config.TABLE_NAME);
    return { stacks: store, postings: store };
  },
  async run({ deps }, { stored }) {
    const { stacks, postings } = deps;
    if (!stacks || !postings || !stored || stored.item.status !== 'PROCESSED') return {};
    try {
      const outcome = await autoStack(stored.item, { stacks, postings, now: deps.now });
      if (outcome === 'made' || outcome === 'joined')
        deps.onCount?.(`Stacks${outcome === 'made' ? 'Made' : 'Joined'}`, 1);
    } catch (error) {
      deps.onNote?.('the photo could not be stacked', errorDetails(error));
    }
    return {};
  },
  async leave(existing, deps) {
    const { stacks, postings } = deps;
    if (!stacks || !postings) return;
    await leaveStack(existing.imageId, { stacks, now: deps.now });
    await postings.unpost(postingsOf(existing));
  },
};
