import type { z } from 'zod';
import type { SameType } from '../../../api/schemas';
import { type IEventPublisher, imageEvent } from '../../../events/events';
import type { ISearchIndex } from '../../../search/index-port';
import { likelyMatchesOf } from '../../../search/likely';
import { withTerms } from '../../../search/postings';
import { labelsOf, normalizeName } from '../../../search/terms';
import { ConflictError, NotFoundError } from '../../../shared/errors';
import type { ImageItem } from '../../../store/image-item';
import type { ImageStore } from '../../../store/image-store';
import { type Caller, mayAccess } from '../../../store/owner';
import { IMAGES_EVENTS } from '../../events';
import type { LabelChange, LabelsAnswerSchema } from './route';

export interface LabelsAnswer {
  imageId: string;
  /** The image's labels now: the model's not taken away, then people's. */
  labels: Array<{ name: string; source: 'model' | 'user' }>;
}

// The use case answers exactly what the document says.
const _answerChecked: SameType<LabelsAnswer, z.output<typeof LabelsAnswerSchema>> = true;

export interface CorrectLabelsDeps {
  store: Pick<ImageStore, 'get' | 'correctLabels' | 'clearUnindexTerms'>;
  index: Pick<ISearchIndex, 'upsert'>;
  publisher: IEventPublisher;
  now?: () => Date;
}

/**
 * Record what a person says of an image's labels:
 * 1. read the image (404 as for GET; 409 until it is PROCESSED: there is nothing to correct yet);
 * 2. apply the change: an added label becomes a `user` label (and is no longer taken away); a removed one is
 *    dropped from people's labels, or, if the model said it or the image has it as a likely match (an object or
 *    label a search finds under its shown threshold), taken away: not shown, and not found as likely any more. So
 *    the photo's page confirms a likely match by adding it and dismisses it by removing it;
 * 3. write the corrections and the terms they make, if the record is as it was read (409 if it changed meanwhile:
 *    the caller tries again); reprocessing keeps them, never rewrites them;
 * 4. bring the search postings in step (the label terms, `labelSource`), then publish `Image Labels Changed`.
 */
export async function correctLabels(
  imageId: string,
  change: LabelChange,
  caller: Caller,
  deps: CorrectLabelsDeps,
): Promise<LabelsAnswer> {
  const item = await deps.store.get(imageId);
  if (!item || !mayAccess(caller, item.owner)) throw new NotFoundError(`image ${imageId} not found`);
  if (item.status !== 'PROCESSED') {
    throw new ConflictError(`image ${imageId} is ${item.status}: labels can be corrected once it is PROCESSED`);
  }
  const at = (deps.now?.() ?? new Date()).toISOString();
  const by = caller.owner;
  const key = (name: string) => normalizeName(name);
  const modelNames = new Set((item.vision?.labels ?? []).map((label) => key(label.name)));
  // What a removal takes away: the model's labels, and what the models make likely whatever its owner said before,
  // so removing a likely match they confirmed says it is not there (it does not come back as likely).
  const likely = likelyMatchesOf({ ...item, labelCorrections: undefined });
  const takeable = new Set([...modelNames, ...likely.map((match) => match.name)]);
  let added = [...(item.labelCorrections?.added ?? [])];
  let removed = [...(item.labelCorrections?.removed ?? [])];
  for (const name of change.add) {
    removed = removed.filter((label) => key(label.name) !== key(name));
    if (!modelNames.has(key(name)) && !added.some((label) => key(label.name) === key(name))) {
      added.push({ name, at, by });
    }
  }
  for (const name of change.remove) {
    added = added.filter((label) => key(label.name) !== key(name));
    if (takeable.has(key(name)) && !removed.some((label) => key(label.name) === key(name))) {
      removed.push({ name, at, by });
    }
  }
  const corrected: ImageItem = withTerms({ ...item, labelCorrections: { added, removed }, updatedAt: at }, item);
  if (!(await deps.store.correctLabels(corrected, item.updatedAt))) {
    throw new ConflictError(`image ${imageId} changed while its labels were being corrected: try again`);
  }
  await deps.index.upsert(corrected);
  if (corrected.unindexTerms) await deps.store.clearUnindexTerms(imageId, at);

  const labels = labelsOf(corrected);
  await deps.publisher.publish(
    labelsChangedEvent(corrected, { labels, added: change.add, removed: change.remove, by }, at),
  );
  return { imageId, labels };
}

/** `Image Labels Changed`: what a person changed, and the image's labels after it. */
export function labelsChangedEvent(
  item: ImageItem,
  change: {
    labels: Array<{ name: string; source: 'model' | 'user' }>;
    added: string[];
    removed: string[];
    by?: string;
  },
  occurredAt: string,
) {
  return imageEvent(IMAGES_EVENTS.labelsChanged, item, occurredAt, { status: item.status, ...change });
}
