import { readProvenance } from '../../../../provenance/read-provenance';
import type { EnrichmentStep } from '../step';

/**
 * Where the picture comes from (`provenance`, lambdas/provenance): its Content Credentials, checked, and the digital
 * source type its XMP declares, summed up. From the original's bytes alone: no inference, no network, so it runs
 * with every provider, beside vision, and before the owner's policy, which may act on it. A record analysed before
 * it was read is of an older ANALYSIS_VERSION (1.3.0), which `backfill --reprocess` analyses again.
 */
export const provenanceStep: EnrichmentStep = {
  name: 'provenance',
  when: 'decoded',
  async run({ deps }, { decoded }) {
    const provenance = await readProvenance(decoded.original, decoded.record.metadata.format, deps.provenance);
    return { item: { provenance } };
  },
};
