import type { StepDeps } from '../../kit/processor-step';
import { digitalSourceTypeUri } from '../../provenance/digital-source-types';
import { type ImageItem, renditionsMadeAtIngest } from '../../store/image-item';
import { deleteUnder } from '../../store/object-pages';
import { renditionPrefix, renditionVersion } from '../query';
import type { RenditionsDeps } from './renditions';

/** What an item's renditions are made from (renditionVersion), or undefined when it has none to render. */
function versionOf(item: ImageItem | undefined, carried: Carried): string | undefined {
  const analysis = item?.analysis;
  if (analysis?.status !== 'PROCESSED') return undefined;
  return renditionVersion({
    sha256: analysis.hashes.sha256,
    analysisVersion: analysis.analysisVersion,
    blurred: item?.moderationPolicy?.blurred,
    gps: carried.gps ? item?.position : undefined,
    rotation: item?.rotationApplied,
    crop: item?.cropApplied,
    digitalSourceType: carried.digitalSourceType
      ? digitalSourceTypeUri(item?.provenance?.digitalSourceType)
      : undefined,
  });
}

/** What of the record the deployment's renditions carry (`renditionsKeepGps`, `renditionsKeepDigitalSourceType`). */
interface Carried {
  gps: boolean;
  digitalSourceType: boolean;
}

/**
 * After a new analysis or a new version of the original replaced `earlier`, delete the renditions made from the
 * earlier one. They are never served again (their keys name the earlier version), but would otherwise be kept, and
 * paid for, until the image is deleted.
 *
 * Only objects under `renditions/<id>/` last written before `replacedAt` (when the new record was stored) go, and
 * never a key the new record names (its eager renditions): a rendition rendered from the new record is written
 * after it. Best effort: a failure is noted, and what is left goes with the image.
 */
export async function deleteStaleRenditions(
  earlier: ImageItem | undefined,
  item: ImageItem,
  replacedAt: Date,
  deps: StepDeps & RenditionsDeps,
): Promise<void> {
  const stale = deps.cleanup;
  const carried = {
    gps: deps.renditions?.keepGps ?? false,
    digitalSourceType: deps.renditions?.keepDigitalSourceType ?? false,
  };
  const before = versionOf(earlier, carried);
  if (!stale || before === undefined || before === versionOf(item, carried)) return;
  const keep = new Set(renditionsMadeAtIngest(item));
  try {
    const deleted = await deleteUnder(
      item.bucket,
      renditionPrefix(item.imageId),
      stale.lister,
      stale.remover,
      (object) => !keep.has(object.key) && object.modified !== undefined && object.modified < replacedAt,
    );
    if (deleted > 0) deps.onCount?.('StaleRenditionsDeleted', deleted);
  } catch (error) {
    deps.onNote?.('renditions of the earlier version could not be deleted; they go when the image is deleted', {
      code: error instanceof Error ? error.name : 'Error',
      message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
    });
  }
}
