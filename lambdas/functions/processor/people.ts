import type { FaceDescriptions, ImagePeople } from '../../people/contract';
import type { ImageItem } from '../../store/image-item';
import type { Attempt, ProcessorDeps } from './ports';

/**
 * Group an image's described faces into its owner's people (docs/people.md), for the record's `people`: only with
 * face grouping on, faces described by the vision step, and an owner (people are per owner; an image without one is
 * in no one's). Grouping is idempotent per image, so a retried message finds the same people. Like inference, it is
 * an addition to the analysis: a failure is retried, and on the last attempt noted and the image recorded without
 * `people` rather than failed.
 */
export async function groupPeople(
  item: Pick<ImageItem, 'imageId' | 'owner'>,
  descriptions: FaceDescriptions | undefined,
  attempt: Attempt,
  deps: Pick<ProcessorDeps, 'people' | 'onNote'>,
  regroup = false,
): Promise<ImagePeople | undefined> {
  if (!deps.people || !descriptions || item.owner === undefined) return undefined;
  try {
    // A re-cluster: the image's faces leave their people first, so they are grouped as new faces are, under the
    // current FACE_MATCH_DISTANCE. A retry deletes and groups again, to the same end.
    // Its people are kept while empty, so one whose faces all come back keeps its name (docs/people.md).
    if (regroup) await deps.people.deleteImageFaces(item.owner, item.imageId, { keepEmptyPeople: true });
    return await deps.people.groupFaces(item.owner, item.imageId, descriptions, { regroup });
  } catch (error) {
    if (!attempt.last) throw error;
    const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
    deps.onNote?.('face grouping failed; the image is recorded without people', { code: name, message });
    return undefined;
  }
}
