import type { Vision } from '../../core/vision-schema';
import type { Attempt, StepDeps } from '../../kit/processor-step';
import type { ISearchIndex } from '../../search/index-port';
import { repointImage } from '../../search/person-repoint';
import type { ImageItem } from '../../store/image-item';
import type { FaceDescriptions, ImagePeople } from '../contract';
import type { PeoplePort } from '../ports';

/**
 * The people steps' own: with face grouping on, where an image's described faces are grouped into people, and
 * (`repointMerged`) the images of people grouping merged are re-pointed (`followMerges`); and the processor's search
 * index, which the re-pointed images' postings go to.
 */
export interface PeopleDeps {
  people?: Pick<PeoplePort, 'groupFaces' | 'deleteImageFaces'> & Partial<Pick<PeoplePort, 'repointMerged'>>;
  index: Pick<ISearchIndex, 'upsert'>;
}

/** What the processing run asks of the grouping, and what the record said before (a re-analysis). */
export interface PeopleAsked {
  /** A re-cluster (`regroupFaces`): the image's faces leave their people first. */
  regroup?: boolean;
  /** The record's `people` before this run, if any. */
  before?: ImagePeople;
}

/**
 * Group an image's described faces into its owner's people (docs/people.md), for the record's `people`: only with
 * face grouping on, faces described by the vision step, and an owner (people are per owner; an image without one is
 * in no one's). Grouping is idempotent per image, so a retried message finds the same people. Like inference, it is
 * an addition to the analysis: a failure is retried, and on the last attempt noted and the image recorded without
 * `people` rather than failed. With Rekognition, the SearchFaces the grouping sent are added to the vision's
 * `inference.costUsd` (none for a face grouped before, two for one that founds a person: its second look).
 *
 * The record's `people` (and so its `person=` postings and its event) say what the people table holds: a run that
 * leaves the image's faces as they were (vision failed or described none; a grouping that failed, unless it was a
 * re-cluster's, which removed them first) keeps the people the record had.
 */
export async function groupPeople<Seen extends { vision?: Vision }>(
  item: Pick<ImageItem, 'imageId' | 'owner'>,
  descriptions: FaceDescriptions | undefined,
  seen: Seen,
  attempt: Attempt,
  deps: Pick<PeopleDeps, 'people'> & Pick<StepDeps, 'onNote'>,
  { regroup = false, before }: PeopleAsked = {},
): Promise<Seen & { people?: ImagePeople }> {
  if (!deps.people || item.owner === undefined) return seen;
  const unchanged: Seen & { people?: ImagePeople } = { ...seen, ...(before && { people: before }) };
  if (!descriptions) return unchanged;
  let searches = 0;
  const onSearch = () => {
    searches++;
  };
  try {
    // A re-cluster: the image's faces leave their people first, so they are grouped as new faces are, under the
    // current FACE_MATCH_DISTANCE. A retry deletes and groups again, to the same end.
    // Its people are kept while empty, so one whose faces all come back keeps its name (docs/people.md).
    if (regroup) await deps.people.deleteImageFaces(item.owner, item.imageId, { keepEmptyPeople: true });
    const people = await deps.people.groupFaces(item.owner, item.imageId, descriptions, { regroup, onSearch });
    return { ...withSearches(seen, searches, descriptions.searchPriceUsd), people };
  } catch (error) {
    if (!attempt.last) throw error;
    const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
    const kept: Seen & { people?: ImagePeople } = regroup ? seen : unchanged;
    const outcome = kept.people ? 'keeps the people it had' : 'is recorded without people';
    deps.onNote?.(`face grouping failed; the image ${outcome}`, { code: name, message });
    return withSearches(kept, searches, descriptions.searchPriceUsd);
  }
}

/** The vision result with `searches` paid searches added to its cost, to the micro-dollar. */
function withSearches<Seen extends { vision?: Vision }>(seen: Seen, searches: number, priceUsd = 0): Seen {
  const { vision } = seen;
  if (!vision || searches === 0 || priceUsd === 0) return seen;
  const costUsd = Math.round(((vision.inference.costUsd ?? 0) + searches * priceUsd) * 1e6) / 1e6;
  return { ...seen, vision: { ...vision, inference: { ...vision.inference, costUsd } } };
}

/** Images of the people merged into one of an image's people that its run re-points at most (per person). */
export const FOLLOW_BUDGET = 50;

/**
 * After an image is indexed: the people its faces joined may have had people merged into them by grouping (an
 * album's photos each founding a person, joined once they see each other), whose images still carry the merged ids.
 * Re-point them (at most FOLLOW_BUDGET each), so each person's search reads one term again (merged-images.ts). The
 * images still being processed are re-pointed by their own runs. A failure is noted, never the image's: what is
 * left is still found through the merged ids, and re-pointed by a later run or merge.
 */
export async function followMerges(
  item: Pick<ImageItem, 'owner' | 'people'>,
  deps: PeopleDeps & Pick<StepDeps, 'store' | 'now' | 'onNote'>,
): Promise<void> {
  const { people, store, index, now } = deps;
  const owner = item.owner;
  if (!people?.repointMerged || owner === undefined || !item.people) return;
  for (const personId of new Set(item.people.faces.map((face) => face.personId))) {
    try {
      await people.repointMerged(
        owner,
        personId,
        (imageId, merged) =>
          repointImage({ images: store, index, ...(now && { now }) }, owner, imageId, merged, personId),
        { budget: FOLLOW_BUDGET },
      );
    } catch (error) {
      const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
      deps.onNote?.('re-pointing the images of people merged by grouping failed; they are still found', {
        personId,
        code: name,
        message,
      });
    }
  }
}
