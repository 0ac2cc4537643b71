import { renditionVersion } from '../../../../renditions/query';
import { makeEagerRenditions } from '../eager-renditions';
import { errorDetails } from '../error-details';
import type { EnrichmentStep } from '../step';

/**
 * The eager rendition presets (`renditions`), made from the pixels the thumbnails came from. A failed one is
 * reported, counted and left out of the record, to be rendered on its first request; none stored: no field.
 */
export const renditionsStep: EnrichmentStep = {
  name: 'renditions',
  when: 'decoded',
  async run({ deps }, { item, decoded }) {
    const eager = deps.renditions;
    const { record, pixels, original } = decoded;
    if (!eager?.presets.length || !pixels) return { item: { eagerRenditions: undefined } };
    // The position as the steps before this one left the record: the render function keys and writes the stored
    // record's, so a position set later (or none yet) gives another key, and the preset is rendered on request.
    const gps = eager.keepGps ? item.position : undefined;
    const image = {
      imageId: item.imageId,
      bucket: item.bucket,
      version: renditionVersion({ sha256: record.hashes.sha256, analysisVersion: record.analysisVersion, gps }),
      metadata: record.metadata,
      original,
      pixels,
      gps,
    };
    const { keys, failed } = await makeEagerRenditions(image, eager, deps.objects, (preset, error) =>
      deps.onNote?.('eager rendition failed; it will be rendered on its first request', {
        preset,
        ...errorDetails(error),
      }),
    );
    const stored = Object.keys(keys).length;
    if (stored > 0) deps.onCount?.('EagerRenditionsStored', stored);
    if (failed > 0) deps.onCount?.('EagerRenditionsFailed', failed);
    return { item: { eagerRenditions: stored > 0 ? keys : undefined } };
  },
};
