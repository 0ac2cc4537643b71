import type { z } from 'zod';
import type { EnrichmentStep, StepDeps } from '../../kit/processor-step';
import { errorDetails, takeBack } from '../../kit/step-helpers';
import { digitalSourceTypeUri } from '../../provenance/digital-source-types';
import { type ImageItem, renditionsMadeAtIngest } from '../../store/image-item';
import { renditionVersion } from '../query';
import { watermarkReader } from '../watermarks';
import {
  type EagerRenditions,
  eagerPresets,
  type RenderedEager,
  renderEagerRenditions,
  storeEagerRenditions,
} from './eager-renditions';
import { type RenderedPageCopy, renderPageCopy } from './page-copy';
import type { RenditionsEnvShape } from './renditions-contract';

declare module '../../kit/processor-step' {
  interface Analysis {
    /** The eager renditions rendered beside vision, stored after the policy step unless it blurs the image. */
    readonly renditions?: RenderedEager;
  }
}

/** The renditions steps' own: the presets made at ingest (`eager`); none when absent. */
export interface RenditionsDeps {
  renditions?: EagerRenditions;
}

type RenditionsConfig = z.output<z.ZodObject<typeof RenditionsEnvShape>> & { MAX_PIXELS: number };

/**
 * The eager rendition presets rendered (`renditions`), from the pixels the thumbnails came from, beside vision: kept
 * in memory until the owner's policy has read vision's answer (`eager-renditions` stores them). A failed one is
 * reported, counted and left out of the record, to be rendered on its first request.
 */
export const renditionsStep: EnrichmentStep<RenditionsDeps> = {
  name: 'renditions',
  when: 'decoded',
  async run({ deps }, { item, decoded, provenanceRead }) {
    const eager = deps.renditions;
    const { record, pixels, original } = decoded;
    // What the eager presets are made from, when there are any.
    const presetPixels = eager?.presets.length ? pixels : undefined;
    if (!eager || (!presetPixels && !eager.pageCopy)) return {};
    // The position as the steps before this one left the record: the render function keys and writes the stored
    // record's, so a position set later (or none yet) gives another key, and the preset is rendered on request.
    const gps = eager.keepGps ? item.position : undefined;
    // The provenance the step beside this one records, read once for both (it passes its read on as its group
    // starts): the render function declares the stored record's, which is this one.
    const digitalSourceType = eager.keepDigitalSourceType
      ? digitalSourceTypeUri((await provenanceRead)?.digitalSourceType)
      : undefined;
    const image = {
      imageId: item.imageId,
      bucket: item.bucket,
      version: renditionVersion({
        sha256: record.hashes.sha256,
        analysisVersion: record.analysisVersion,
        gps,
        rotation: item.rotationApplied,
        crop: item.cropApplied,
        digitalSourceType,
      }),
      metadata: record.metadata,
      original,
      turn: item.rotationApplied ?? 0,
      crop: item.cropApplied,
      gps,
      digitalSourceType,
    };
    const made = presetPixels
      ? await renderEagerRenditions({ ...image, pixels: presetPixels }, eager, failedOne(deps))
      : none;
    if (made.failed > 0) deps.onCount?.('EagerRenditionsFailed', made.failed);
    const pageCopy = await renderPageCopy(image, eager.pageCopy, eager.maxPixels).catch(pageCopyFailed(deps));
    return { renditions: { ...made, pageCopy } };
  },
  open: (config: RenditionsConfig, { root }) => ({ renditions: eagerRenditionsFor(config, root) }),
  keeps: (deps) => ({ pixels: (deps.renditions?.presets.length ?? 0) > 0 }),
};

/** The eager presets, parsed once per container, and the watermarks they draw (`watermarkReader`, under `root`). */
function eagerRenditionsFor(config: RenditionsConfig, root: string | undefined): EagerRenditions {
  const settings = config.RENDITION_SETTINGS;
  return {
    presets: eagerPresets(settings),
    maxSide: settings.renditionMaxSide,
    maxPixels: config.MAX_PIXELS,
    watermark: watermarkReader(settings.watermarks, root),
    keepGps: settings.renditionsKeepGps,
    keepDigitalSourceType: settings.renditionsKeepDigitalSourceType,
    pageCopy: settings.renditionPageCopy,
  };
}

/**
 * The eager renditions stored (`eager-renditions`), once the owner's policy has said the image is shown as it is:
 * a blurred one's are rendered on request, blurred, from the record that says so; a rejected one has none. None
 * stored: no field.
 */
export const eagerRenditionsStep: EnrichmentStep<RenditionsDeps> = {
  name: 'eager-renditions',
  when: 'accepted',
  async run({ deps }, { item, renditions, blurred }) {
    if (blurred || !renditions) return { item: { eagerRenditions: undefined, pageCopy: undefined } };
    const [stored, pageCopy] = await Promise.all([
      storeEagerRenditions(item.bucket, renditions, deps.objects, failedOne(deps)),
      storePageCopy(item.bucket, renditions.pageCopy, deps),
    ]);
    const { keys, rendered, failed } = stored;
    if (rendered.length > 0) deps.onCount?.('EagerRenditionsStored', rendered.length);
    if (failed > 0) deps.onCount?.('EagerRenditionsFailed', failed);
    return { item: { eagerRenditions: rendered.length > 0 ? keys : undefined, pageCopy } };
  },
  async undo({ deps }, { item }) {
    await takeBack(deps, item.bucket, renditionsMadeAtIngest(item));
  },
};

/** The page copy stored, as the record names it; none when there is none or it could not be stored (reported). */
async function storePageCopy(
  bucket: string,
  copy: RenderedPageCopy | undefined,
  deps: StepDeps,
): Promise<ImageItem['pageCopy']> {
  if (!copy) return undefined;
  try {
    await deps.objects.write(bucket, copy.key, copy.data, copy.contentType);
    return { key: copy.key, width: copy.width, height: copy.height };
  } catch (error) {
    return pageCopyFailed(deps)(error);
  }
}

const none: RenderedEager = { rendered: [], failed: 0 };

/**
 * A page copy that could not be made or stored: reported and counted, and left out of the record, so larger renditions
 * of the image render from the original, as with no copy at all.
 */
const pageCopyFailed = (deps: StepDeps) => (error: unknown) => {
  failedOne(deps)('page copy', error);
  deps.onCount?.('PageCopyFailed', 1);
  return undefined;
};

/** A preset that could not be rendered or stored: reported, and rendered on its first request. */
const failedOne = (deps: StepDeps) => (preset: string, error: unknown) =>
  deps.onNote?.('eager rendition failed; it will be rendered on its first request', { preset, ...errorDetails(error) });
