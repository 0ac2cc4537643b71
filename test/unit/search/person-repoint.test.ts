import { repointImage } from '../../../lambdas/search/person-repoint';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { imageItem } from '../../support/items';

const OWNER = 'alice';
const skipped = { tooSmall: 0, overCap: 0 };

/** An image store holding `item`, whose conditional people write fails `conflicts` times first. */
function deps(item: ImageItem | undefined, conflicts = 0) {
  let stored = item;
  let failing = conflicts;
  const written: ImageItem[] = [];
  const upserted: ImageItem[] = [];
  return {
    written,
    upserted,
    images: {
      get: async () => stored,
      correctPeople: async (next: ImageItem, seen: string) => {
        if (failing-- > 0 || seen !== stored?.updatedAt) return false;
        stored = { ...(stored as ImageItem), ...next };
        written.push(next);
        return true;
      },
      clearUnindexTerms: async () => undefined,
    },
    index: { upsert: async (next: ImageItem) => void upserted.push(next) },
    now: () => new Date('2026-11-27T05:00:00Z'),
  };
}

const withFaces = (...personIds: string[]) =>
  imageItem({
    owner: OWNER,
    people: { faces: personIds.map((personId, face) => ({ face, personId })), skipped },
    indexedTerms: ['all', ...personIds.map((id) => `person=${id}`)],
  });

describe('repointImage', () => {
  it("names the target in the record's faces of the merged ids, and its postings follow", async () => {
    const fake = deps(withFaces('bob', 'zed', 'cy'));
    await expect(repointImage(fake, OWNER, 'img', new Set(['bob', 'cy']), 'ada')).resolves.toBe(true);
    expect(fake.written[0]?.people?.faces.map((face) => face.personId)).toEqual(['ada', 'zed', 'ada']);
    expect(fake.upserted[0]?.indexedTerms).toEqual(expect.arrayContaining(['person=ada', 'person=zed']));
    expect(fake.upserted[0]?.indexedTerms).not.toContain('person=bob');
    expect(fake.upserted[0]?.unindexTerms).toEqual(['person=bob', 'person=cy']);
  });

  it('has nothing to do for an image gone, of another owner, or without the merged ids', async () => {
    for (const item of [undefined, { ...withFaces('bob'), owner: 'mallory' }, withFaces('zed')]) {
      const fake = deps(item);
      await expect(repointImage(fake, OWNER, 'img', new Set(['bob']), 'ada')).resolves.toBe(true);
      expect(fake.written).toEqual([]);
    }
  });

  it('is not done while the image is being processed, nor when its record kept changing', async () => {
    const pending = deps({ ...withFaces('bob'), status: 'PENDING' });
    await expect(repointImage(pending, OWNER, 'img', new Set(['bob']), 'ada')).resolves.toBe(false);
    expect(pending.written).toEqual([]);
    await expect(repointImage(deps(withFaces('bob'), 5), OWNER, 'img', new Set(['bob']), 'ada')).resolves.toBe(false);
    const once = deps(withFaces('bob'), 1);
    await expect(repointImage(once, OWNER, 'img', new Set(['bob']), 'ada')).resolves.toBe(true);
    expect(once.written).toHaveLength(1);
  });
});
