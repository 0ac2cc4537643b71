import { digitalSourceTypeUri } from '../../../../provenance/digital-source-types';
import { renditionVersion } from '../../../../renditions/query';
import { watermarkReader } from '../../../../renditions/watermarks';
import type { ProcessorConfig } from '../contract';
import { type EagerRenditions, eagerPresets, renderEagerRenditions, storeEagerRenditions } from '../eager-renditions';
import { errorDetails } from '../error-details';
import type { ProcessorDeps } from '../ports';
import type { EnrichmentStep } from '../step';
import { takeBack } from '../take-back';
import { provenanceOf } from './provenance';

/**
 * The eager rendition presets rendered (`renditions`), from the pixels the thumbnails came from, beside vision: kept
 * in memory until the owner's policy has read vision's answer (`eager-renditions` stores them). A failed one is
 * reported, counted and left out of the record, to be rendered on its first request.
 */
export const renditionsStep: EnrichmentStep = {
  name: 'renditions',
  when: 'decoded',
  async run({ deps }, { item, decoded }) {
    const eager = deps.renditions;
    const { record, pixels, original } = decoded;
    if (!eager?.presets.length || !pixels) return {};
    // The position as the steps before this one left the record: the render function keys and writes the stored
    // record's, so a position set later (or none yet) gives another key, and the preset is rendered on request.
    const gps = eager.keepGps ? item.position : undefined;
    // The provenance the step beside this one records, read once for both: the render function declares the stored
    // record's, which is this one.
    const digitalSourceType = eager.keepDigitalSourceType
      ? digitalSourceTypeUri((await provenanceOf(decoded, deps)).digitalSourceType)
      : undefined;
    const image = {
      imageId: item.imageId,
      bucket: item.bucket,
      version: renditionVersion({
        sha256: record.hashes.sha256,
        analysisVersion: record.analysisVersion,
        gps,
        rotation: item.rotationApplied,
        digitalSourceType,
      }),
      metadata: record.metadata,
      original,
      turn: item.rotationApplied ?? 0,
      pixels,
      gps,
      digitalSourceType,
    };
    const renditions = await renderEagerRenditions(image, eager, failedOne(deps));
    if (renditions.failed > 0) deps.onCount?.('EagerRenditionsFailed', renditions.failed);
    return { renditions };
  },
  open: (config, { root }) => ({ renditions: eagerRenditionsFor(config, root) }),
};

/** The eager presets, parsed once per container, and the watermarks they draw (`watermarkReader`, under `root`). */
function eagerRenditionsFor(config: ProcessorConfig, root: string | undefined): EagerRenditions {
  const settings = config.RENDITION_SETTINGS;
  return {
    presets: eagerPresets(settings),
    maxSide: settings.renditionMaxSide,
    maxPixels: config.MAX_PIXELS,
    watermark: watermarkReader(settings.watermarks, root),
    keepGps: settings.renditionsKeepGps,
    keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
  };
}

/**
 * The eager renditions stored (`eager-renditions`), once the owner's policy has said the image is shown as it is:
 * a blurred one's are rendered on request, blurred, from the record that says so; a rejected one has none. None
 * stored: no field.
 */
export const eagerRenditionsStep: EnrichmentStep = {
  name: 'eager-renditions',
  when: 'accepted',
  async run({ deps }, { item, renditions, blurred }) {
    if (blurred || !renditions?.rendered.length) return { item: { eagerRenditions: undefined } };
    const { keys, rendered, failed } = await storeEagerRenditions(
      item.bucket,
      renditions,
      deps.objects,
      failedOne(deps),
    );
    if (rendered.length > 0) deps.onCount?.('EagerRenditionsStored', rendered.length);
    if (failed > 0) deps.onCount?.('EagerRenditionsFailed', failed);
    return { item: { eagerRenditions: rendered.length > 0 ? keys : undefined } };
  },
  async undo({ deps }, { item }) {
    await takeBack(deps, item.bucket, Object.values(item.eagerRenditions ?? {}));
  },
};

/** A preset that could not be rendered or stored: reported, and rendered on its first request. */
const failedOne = (deps: ProcessorDeps) => (preset: string, error: unknown) =>
  deps.onNote?.('eager rendition failed; it will be rendered on its first request', { preset, ...errorDetails(error) });
