import { videoFacts } from '../../core/analysis/mp4';
import type { RecordStep } from '../../kit/processor-step';
import { createDocumentClient } from '../../shared/aws-clients';
import { baseName } from '../../stacks/auto-stack';
import { type LivePort, videoArrives } from '../live-photos';
import { LiveStore } from '../live-store';

/** The Live Photos table (absent in a processor's test that leaves Live Photos out). */
export interface LiveStepDeps {
  live?: LivePort;
}

/**
 * The `live-video` step, before the decode: a QuickTime movie uploaded by an owner is a Live Photo's MOV. It is kept
 * in the Live Photos table and paired with its still (live-photos.ts videoArrives), and the run ends there
 * (`COMPANION`): no decode, no record of its own, no event. Anything else goes on to the decode untouched; so does a
 * MOV with no owner (put in the bucket without an upload), which the decode refuses as no image.
 */
export const liveVideoStep: RecordStep<LiveStepDeps> = {
  name: 'live-video',
  open: (config: { TABLE_NAME: string; LIVE_TABLE: string }, { tracer }) => ({
    live: new LiveStore(createDocumentClient(tracer), config.LIVE_TABLE, config.TABLE_NAME),
  }),
  async run({ object, notice, deps, now }, { item }) {
    const { live } = deps;
    if (!live || object.kind !== 'object') return {};
    const facts = videoFacts(object.bytes, 0);
    if (facts?.format !== 'mov') return {};
    if (item.owner === undefined) {
      // Its upload's record went when the MOV was kept: this is another delivery of it.
      return (await live.video(notice.imageId)) ? { outcome: 'DUPLICATE' } : {};
    }
    const base = item.filename === undefined ? undefined : baseName(item.filename);
    const outcome = await videoArrives(
      {
        imageId: item.imageId,
        owner: item.owner,
        ...(base !== undefined && { base }),
        bucket: notice.bucket,
        key: notice.key,
        bytes: object.bytes.length,
        ...(facts.durationSeconds !== undefined && { durationSeconds: facts.durationSeconds }),
        ...(facts.contentIdentifier !== undefined && { contentIdentifier: facts.contentIdentifier }),
        createdAt: item.createdAt ?? now(),
      },
      { live, now: deps.now },
    );
    deps.onCount?.(outcome === 'paired' ? 'LivePhotosPaired' : 'LivePhotoVideosUnpaired', 1);
    return { outcome: 'COMPANION' };
  },
};
