import type { Box } from '../../../lambdas/core/vision-schema';
import {
  carryPeople,
  IDENTITY,
  iou,
  MATCH_IOU,
  matchFaces,
  type PeopleCarryPort,
} from '../../../lambdas/duplicates/carry-people';
import type { Person } from '../../../lambdas/people/contract';
import { DRAWN_FACE_FIRST, type FaceAssigned, type FaceTarget } from '../../../lambdas/people/face-assignment';
import type { FaceWord } from '../../../lambdas/people/face-corrections';
import { recordAssigned, recordRemoved } from '../../../lambdas/people/functions/face-records';
import { NotFoundError } from '../../../lambdas/shared/errors';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { TEST_USER } from '../../support/identities';
import { searchableItem } from '../../support/items';

const OWNER = TEST_USER.sub;
const KEPT = '01JD0000000000000000000001';
const COPY = '01JD0000000000000000000002';

const box = (left: number, top: number, width = 0.1, height = 0.12): Box => ({ left, top, width, height });

/** A copy cropped to the middle `keep` of the original on each axis: where a box of the original lands in it. */
function cropped(original: Box, keep = 0.9): Box {
  const cut = (1 - keep) / 2;
  return {
    left: (original.left - cut) / keep,
    top: (original.top - cut) / keep,
    width: original.width / keep,
    height: original.height / keep,
  };
}

const faces = (...boxes: Box[]) => new Map(boxes.map((one, i) => [i, one]));

describe('matchFaces', () => {
  it("matches a resized copy's faces to the same boxes, unaligned", () => {
    const boxes = faces(box(0.1, 0.2), box(0.5, 0.3), box(0.8, 0.6));
    const { alignment, matches } = matchFaces(boxes, boxes);
    expect(alignment).toEqual(IDENTITY);
    expect(matches).toEqual(
      new Map([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    );
  });

  it("aligns a cropped copy's faces to the original's, which their boxes alone would not match", () => {
    const original = [box(0.08, 0.1), box(0.45, 0.4), box(0.85, 0.75)];
    const copy = new Map(original.map((one, i) => [i, cropped(one, 0.85)]));
    // Near an edge the crop moves a face by more than overlap tolerates.
    expect(iou(copy.get(2) as Box, original[2] as Box)).toBeLessThan(MATCH_IOU);
    const { alignment, matches } = matchFaces(copy, faces(...original));
    expect(alignment.sx).toBeCloseTo(0.85, 5);
    expect(alignment.tx).toBeCloseTo(0.075, 5);
    expect(matches).toEqual(
      new Map([
        [0, 0],
        [1, 1],
        [2, 2],
      ]),
    );
  });

  it('matches the faces, not their order: a copy whose second face the analysis missed', () => {
    const original = [box(0.1, 0.2), box(0.5, 0.3), box(0.8, 0.6)];
    const copy = new Map([
      [0, cropped(original[0] as Box)],
      [1, cropped(original[2] as Box)],
    ]);
    expect(matchFaces(copy, faces(...original)).matches).toEqual(
      new Map([
        [0, 0],
        [1, 2],
      ]),
    );
  });

  it("matches no face that only an implausible shift would put there (another person's face elsewhere)", () => {
    expect(matchFaces(faces(box(0.1, 0.2)), faces(box(0.7, 0.2))).matches.size).toBe(0);
  });
});

interface StoredWord extends FaceWord {
  imageId: string;
}

/** The people store's faces and corrections in memory, as its corrections change them; each call counted. */
class People implements PeopleCarryPort {
  words: StoredWord[] = [];
  people = new Set(['alice', 'bob']);
  mergedInto = new Map<string, string>();
  changes: string[] = [];

  face(imageId: string, face: number, where: Box, word: Partial<FaceWord> = {}) {
    this.words.push({ imageId, face, box: where, byOwner: false, notPeople: [], ...word });
  }

  async faceWords(_owner: string, imageId: string) {
    return this.words.filter((word) => word.imageId === imageId).map(({ imageId: _id, ...word }) => ({ ...word }));
  }

  async get(_owner: string, personId: string) {
    const id = this.mergedInto.get(personId) ?? personId;
    return this.people.has(id) ? ({ personId: id } as Person) : undefined;
  }

  async assignFace(_owner: string, imageId: string, face: number, target: FaceTarget, where?: Box) {
    const personId = 'personId' in target ? target.personId : target.name;
    this.changes.push(`assign ${imageId}/${face} ${personId}`);
    const word = this.words.find((one) => one.imageId === imageId && one.face === face);
    if (word) Object.assign(word, { personId, byOwner: true, notPeople: [] });
    else this.words.push({ imageId, face, box: where as Box, personId, byOwner: true, notPeople: [] });
    return { face, person: { personId } as Person, described: word !== undefined };
  }

  async drawFace(owner: string, imageId: string, where: Box, target: FaceTarget) {
    const taken = this.words.filter((one) => one.imageId === imageId).map((one) => one.face);
    const face = Math.max(DRAWN_FACE_FIRST, ...taken.map((one) => one + 1));
    this.changes.push(`draw ${imageId}/${face}`);
    return this.assignFace(owner, imageId, face, target, where);
  }

  async removeFaces(_owner: string, personId: string, imageId: string, face?: number) {
    const word = this.words.find((one) => one.imageId === imageId && one.face === face && one.personId === personId);
    if (!word) throw new NotFoundError('no such face');
    this.changes.push(`remove ${imageId}/${face} ${personId}`);
    const { personId: _gone, ...rest } = word;
    this.words[this.words.indexOf(word)] = { ...rest, notPeople: [personId] };
    return { faces: [word.face] };
  }
}

/** The kept photo's record, whose `people` and postings follow each correction. */
class Records {
  items = new Map<string, ImageItem>();
  upserted = 0;

  deps() {
    return {
      images: {
        get: async (imageId: string) => this.items.get(imageId),
        correctPeople: async (item: ImageItem, seen: string) => {
          if (this.items.get(item.imageId)?.updatedAt !== seen) return false;
          this.items.set(item.imageId, item);
          return true;
        },
        clearUnindexTerms: async () => {},
      },
      index: { upsert: async () => void this.upserted++ },
    };
  }
}

/** A processed photo with faces at `boxes` (`vision.faces`), grouped: `people.faces` as given. */
function photo(imageId: string, boxes: Box[], grouped: { face: number; personId: string }[] = []): ImageItem {
  const item = { ...searchableItem(), imageId, owner: OWNER };
  const vision = item.vision as NonNullable<ImageItem['vision']>;
  return {
    ...item,
    vision: { ...vision, faces: boxes.map((one) => ({ box: one, confidence: 0.99 })) },
    people: { faces: grouped, skipped: { tooSmall: 0, overCap: 0 } },
  };
}

function world(keptGrouped: { face: number; personId: string }[] = [{ face: 0, personId: 'bob' }]) {
  const where = [box(0.3, 0.2), box(0.6, 0.25)];
  const kept = photo(KEPT, where, keptGrouped);
  const copy = photo(
    COPY,
    where.map((one) => cropped(one)),
  );
  const people = new People();
  const records = new Records();
  records.items.set(KEPT, kept);
  where.forEach((one, face) => {
    const grouped = keptGrouped.find((entry) => entry.face === face);
    people.face(KEPT, face, one, grouped ? { personId: grouped.personId } : {});
  });
  return {
    kept,
    copy,
    people,
    records,
    where,
    deps: {
      people,
      follow: {
        assigned: (owner: string, imageId: string, assigned: FaceAssigned, where: Box) =>
          recordAssigned(records.deps(), owner, imageId, assigned, where),
        removed: (owner: string, imageId: string, faces: readonly number[]) =>
          recordRemoved(records.deps(), owner, imageId, faces),
      },
    },
  };
}

describe('carryPeople', () => {
  it("names the kept photo's matched face as its owner named the copy's, and its record follows", async () => {
    const { kept, copy, people, records, deps } = world();
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { personId: 'alice', byOwner: true });
    expect(await carryPeople(kept, [copy], deps)).toBe(1);
    expect(people.changes).toEqual([`assign ${KEPT}/0 alice`]);
    expect(records.items.get(KEPT)?.people?.faces).toEqual([{ face: 0, personId: 'alice' }]);
    expect(records.upserted).toBe(1);
  });

  it('carries nothing twice: a retry finds the kept face its owner named', async () => {
    const { kept, copy, people, deps } = world();
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { personId: 'alice', byOwner: true });
    await carryPeople(kept, [copy], deps);
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
    expect(people.changes).toHaveLength(1);
  });

  it("leaves a kept face its owner named, and carries no grouping's person", async () => {
    const { kept, copy, people, deps } = world();
    people.words[0] = { ...(people.words[0] as StoredWord), byOwner: true };
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { personId: 'alice', byOwner: true });
    people.face(COPY, 1, cropped(box(0.6, 0.25)), { personId: 'alice' });
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
    expect(people.changes).toEqual([]);
  });

  it('counts nothing when the kept face is in the person already (through a merge)', async () => {
    const { kept, copy, people, deps } = world([{ face: 0, personId: 'old-alice' }]);
    people.mergedInto.set('old-alice', 'alice');
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { personId: 'alice', byOwner: true });
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
    expect(people.changes).toEqual([]);
  });

  it("takes the matched kept face out of a person its owner said the copy's is not", async () => {
    const { kept, copy, people, records, deps } = world();
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { notPeople: ['bob'] });
    expect(await carryPeople(kept, [copy], deps)).toBe(1);
    expect(people.changes).toEqual([`remove ${KEPT}/0 bob`]);
    expect(records.items.get(KEPT)?.people?.faces).toEqual([]);
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
  });

  it('draws on the kept photo a face its owner drew on the copy, where the alignment puts it, once', async () => {
    const { kept, copy, people, records, deps } = world();
    people.face(COPY, 0, cropped(box(0.3, 0.2)));
    people.face(COPY, DRAWN_FACE_FIRST, cropped(box(0.1, 0.6, 0.08, 0.1)), { personId: 'alice', byOwner: true });
    expect(await carryPeople(kept, [copy], deps)).toBe(1);
    expect(people.changes).toEqual([`draw ${KEPT}/${DRAWN_FACE_FIRST}`, `assign ${KEPT}/${DRAWN_FACE_FIRST} alice`]);
    const drawn = records.items.get(KEPT)?.people?.faces.find((one) => one.face === DRAWN_FACE_FIRST);
    expect(drawn?.personId).toBe('alice');
    expect(drawn?.box?.left).toBeCloseTo(0.1, 5);
    expect(drawn?.box?.width).toBeCloseTo(0.08, 5);
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
  });

  it('skips a person its owner deleted since, and a kept photo not grouped into people', async () => {
    const { kept, copy, people, deps } = world();
    people.face(COPY, 0, cropped(box(0.3, 0.2)), { personId: 'carol', byOwner: true });
    expect(await carryPeople(kept, [copy], deps)).toBe(0);
    const { people: _none, ...ungrouped } = kept;
    people.face(COPY, 1, cropped(box(0.6, 0.25)), { personId: 'alice', byOwner: true });
    expect(await carryPeople(ungrouped as ImageItem, [copy], deps)).toBe(0);
    expect(people.changes).toEqual([]);
  });
});
