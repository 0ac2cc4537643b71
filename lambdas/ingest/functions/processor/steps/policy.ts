import sharp from 'sharp';
import { censor } from '../../../../core/censor';
import type { ModerationPolicyOutcome } from '../../../../core/moderation';
import { decide, defaultRules, rejectionMessage } from '../../../../policy/policy';
import { thumbnailKey } from '../../../../store/keys';
import type { ProcessorDeps } from '../ports';
import type { Decoded, EnrichmentStep, StepPart } from '../step';

/**
 * The owner's moderation policy (`policy`, lambdas/policy), applied to vision's moderation labels: the owner's own
 * policy, or the default one (every category flagged at the deployment's threshold, as before policies existed).
 *
 * 1. Record which rules triggered (`moderationPolicy`) and set `vision.moderation.flagged` from them.
 * 2. `blur` or `reject`: the thumbnails, already stored, are stored again blurred, and the eager renditions made
 *    beside vision are deleted (they are rendered on request, blurred, from the record that says so).
 * 3. `reject`: the image is REJECTED (`MODERATION_POLICY`), as the core's refusals are; the original stays where it
 *    was uploaded, and no later enrichment (faces, vector) runs on it.
 */
export const policyStep: EnrichmentStep = {
  name: 'policy',
  when: 'decoded',
  async run({ deps }, { item, decoded }) {
    const { policies } = deps;
    const { vision } = item;
    if (!policies || !vision) return {};
    const own = item.owner === undefined ? undefined : await policies.store.get(item.owner);
    const decision = decide(own?.rules ?? defaultRules(policies.defaults), vision.moderation);
    const blurred = decision.blur || decision.reject;
    const moderationPolicy: ModerationPolicyOutcome = {
      source: own ? 'owner' : 'default',
      triggered: decision.triggered,
      blurred,
    };
    const recorded: StepPart['item'] = {
      vision: { ...vision, moderation: { ...vision.moderation, flagged: decision.flagged } },
      moderationPolicy,
    };
    if (!blurred) return { item: recorded };

    await Promise.all([blurThumbnails(item.imageId, item.bucket, decoded, deps), takeBackEager(item, deps)]);
    if (!decision.reject) return { item: { ...recorded, eagerRenditions: undefined } };
    const rejection = { code: 'MODERATION_POLICY' as const, message: rejectionMessage(decision) };
    return { item: { ...recorded, eagerRenditions: undefined, status: 'REJECTED', rejection }, decoded: undefined };
  },
};

/** Each thumbnail stored again, blurred, at its own key (the record's `thumbnails` stay as they are). */
async function blurThumbnails(imageId: string, bucket: string, decoded: Decoded, deps: ProcessorDeps) {
  await Promise.all(
    decoded.thumbnails.map(async (thumbnail) => {
      const blurred = await censor(sharp(thumbnail.data), thumbnail.width, thumbnail.height).webp().toBuffer();
      await deps.objects.write(bucket, thumbnailKey(imageId, thumbnail.size), blurred, 'image/webp');
    }),
  );
}

/** The eager renditions this run made unblurred: deleted, so that none is ever served. */
async function takeBackEager(item: { bucket: string; eagerRenditions?: Record<string, string> }, deps: ProcessorDeps) {
  const keys = Object.values(item.eagerRenditions ?? {});
  if (keys.length === 0) return;
  const remover = deps.staleRenditions?.remover;
  if (!remover) throw new Error('eager renditions to take back, and nothing to delete them with');
  await remover.deleteObjects(item.bucket, keys);
}
