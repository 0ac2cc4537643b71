import type { EnrichmentStep } from '../../kit/processor-step';

/** The owner's oldest earlier image with the same bytes (`duplicateOf`); none for an image without an owner. */
export const duplicatesStep: EnrichmentStep = {
  name: 'duplicates',
  when: 'decoded',
  async run({ deps }, { item, decoded }) {
    const { owner, imageId } = item;
    if (owner === undefined) return { item: { duplicateOf: undefined } };
    return { item: { duplicateOf: await deps.store.findDuplicate(owner, decoded.record.hashes.sha256, imageId) } };
  },
};
