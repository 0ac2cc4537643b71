import { labelsChangedEvent } from '../../../lambdas/images/functions/correct-labels/correct-labels';
import { updatedEvent } from '../../../lambdas/images/functions/edit-api';
import { eventForItem } from '../../../lambdas/ingest/functions/processor/steps/publish';
import { DETAIL_TYPES } from '../../../lambdas/manifest/events';
import { placeChangedEvent } from '../../../lambdas/places/functions/place-api';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { trashedEvent } from '../../../lambdas/trash/trash-image';
import { payloadOf } from '../../../lambdas/webhooks/messages';
import { schemaErrors } from '../../support/event-schemas';
import { searchableItem } from '../../support/items';

/*
 * Events about a photo in its owner's locked folder (issue 80): subscribers and webhooks get the detail as built, so
 * each type's builder is run on a record full of content, locked, and the detail must name none of it.
 */

const AT = '2026-11-28T10:00:00.000Z';

/** A backfilled photo with everything a detail could leak: labels, text, faces, place, tags, metadata, its name. */
function record(locked: boolean): ImageItem {
  return {
    ...searchableItem(),
    updatedAt: AT,
    owner: 'alice',
    filename: 'bob-at-the-clinic.jpg',
    sourceBucket: 'alice-private-photos',
    key: 'medical/bob-at-the-clinic.jpg',
    metadata: { album: 'Private' },
    people: { faces: [{ face: 0, personId: 'pers_bob' }], skipped: { tooSmall: 0, overCap: 0 } },
    ...(locked && { locked: true }),
  };
}

/** Words of the record's content: none may be in a locked photo's detail, nor in its webhook payload. */
const CONTENT =
  /Coffee Cup|cup|Café|Basel|Switzerland|Holiday|Private|clinic|alice-private|pers_bob|Lake Zurich|#1e50c8|bbbbbbbb|0123456789abcdef/;

function events(item: ImageItem) {
  return [
    eventForItem(item),
    updatedEvent({ ...item, archived: true }, ['favourite', 'tags'], 'alice', AT),
    labelsChangedEvent(
      item,
      { labels: [{ name: 'Coffee Cup', source: 'user' }], added: ['Coffee Cup'], removed: [], by: 'alice' },
      AT,
    ),
    placeChangedEvent(item, 'alice', AT),
    trashedEvent({ ...item, status: 'TRASHED', trashedFrom: 'PROCESSED', purgeAt: '2026-12-28T10:00:00.000Z' }, AT),
  ].map((event) => {
    if (event === undefined) throw new Error('no event');
    return event;
  });
}

describe('an event about a locked photo', () => {
  it.each(events(record(true)).map((event) => [event.detailType, event] as const))(
    '%s names the image, its owner and what happened, nothing of its content, and its committed schema takes it',
    (detailType, event) => {
      const { detail } = event;
      expect(detail).toMatchObject({ version: 1, imageId: record(true).imageId, owner: 'alice', locked: true });
      expect(JSON.stringify(detail)).not.toMatch(CONTENT);
      expect(JSON.stringify(JSON.parse(payloadOf(event)).data)).not.toMatch(CONTENT);
      for (const field of ['bucket', 'key', 'tags', 'metadata', 'summary', 'labels', 'place', 'takenAt', 'favourite']) {
        expect(detail).not.toHaveProperty(field);
      }
      expect(schemaErrors(detailType, detail)).toEqual([]);
    },
  );

  it('keeps what changed, who changed it, and a trashed one its trash fields', () => {
    const [processed, updated, labels, place, trashed] = events(record(true)).map((event) => event.detail);
    expect(Object.keys(processed ?? {}).sort()).toEqual(
      ['eventId', 'imageId', 'locked', 'occurredAt', 'owner', 'status', 'version'].sort(),
    );
    expect(updated).toMatchObject({ status: 'PROCESSED', changed: ['favourite', 'tags'], by: 'alice' });
    expect(labels).toMatchObject({ status: 'PROCESSED', by: 'alice' });
    expect(place).toMatchObject({ status: 'PROCESSED', by: 'alice' });
    expect(trashed).toMatchObject({ trashedFrom: 'PROCESSED', purgeAt: '2026-12-28T10:00:00.000Z' });
  });

  it('is the same event, id and all, as the photo unlocked would have: only its content differs', () => {
    const open = events(record(false));
    const locked = events(record(true));
    expect(locked.map((event) => event.detail.eventId)).toEqual(open.map((event) => event.detail.eventId));
    // Unlocked, the same records do carry their content: the check above is not vacuous.
    for (const event of open) expect(JSON.stringify(event.detail)).toMatch(CONTENT);
    expect(open[0]?.detailType).toBe(DETAIL_TYPES.processed);
  });
});
