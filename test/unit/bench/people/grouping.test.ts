import { descriptorCentre, groupingRuns, lshSpread } from '../../../../bench/people/grouping';
import type { LabelledDescriptor } from '../../../../bench/people/set';
import { nearDescriptor, personDescriptor } from '../../../support/people-table';

/** Two "people", 8 copies each within 0.2 of their own descriptor, all moved by `offset` (an uncentred model). */
function twoPeople(offset: number[]): LabelledDescriptor[] {
  return ['ada', 'bob'].flatMap((person, p) => {
    const own = personDescriptor(100 + p);
    return Array.from({ length: 8 }, (_, copy) => ({
      person,
      copy: String(copy),
      descriptor: nearDescriptor(own, 0.2, 1000 * p + copy).map((value, i) => value + (offset[i] as number)),
    }));
  });
}

const zero = Array.from({ length: 128 }, () => 0);
// A common part 4 times a person's length: every descriptor points nearly the same way, as dlib's do.
const common = personDescriptor(7).map((value) => value * 4);

describe('lshSpread', () => {
  it('counts every pair once: near pairs of one person, and pairs of two people', () => {
    const spread = lshSpread(twoPeople(zero), 'centred');
    // Copies 0.2 from their person are at most 0.4 apart, within FACE_MATCH_DISTANCE: 2 x C(8, 2) near pairs.
    expect(spread.nearPairs).toBe(56);
    expect(spread.otherPairs).toBe(64);
    expect(spread.tables).toHaveLength(4);
  });

  it('finds the crowding of descriptors far from the origin, and that hashing less their centre undoes it', () => {
    const set = twoPeople(common);
    const committed = lshSpread(set, 'origin');
    const centred = lshSpread(set, 'centred', descriptorCentre(set).centre);
    expect(committed.otherPairsMet).toBe(committed.otherPairs);
    expect(Math.max(...committed.tables.map((t) => t.distinct))).toBeLessThan(
      Math.max(...centred.tables.map((t) => t.distinct)),
    );
    expect(centred.otherPairsMet).toBeLessThan(centred.otherPairs);
  });

  it('leaves out copies without a descriptor', () => {
    const set = [...twoPeople(zero), { person: 'ada', copy: 'lost' }];
    expect(lshSpread(set, 'centred').nearPairs).toBe(56);
  });
});

describe('descriptorCentre', () => {
  it('is the mean descriptor, with its length beside a descriptor mean length', () => {
    const set = twoPeople(common);
    const { centre, centreLength, meanLength } = descriptorCentre(set);
    expect(centre).toHaveLength(128);
    expect(centreLength).toBeGreaterThan(3.5);
    expect(meanLength).toBeGreaterThan(centreLength);
  });
});

describe('groupingRuns (moto)', () => {
  it('groups the copies into their people and counts every request the grouping makes', async () => {
    const set = twoPeople(zero).filter((s) => Number(s.copy) < 3);
    const [run] = await groupingRuns(set, []);
    expect(run).toMatchObject({ faces: 6, people: 2, scores: { precision: 1, recall: 1 } });
    // Per face: its item (a retry?) and the person it joins or founds, 36 probes, one transaction of 7 items; and
    // the 2 faces that found a person probe the 36 buckets again once written (a concurrent founder to merge with).
    expect(run?.counts.requests).toEqual({ GetItem: 12, Query: 216 + 72, TransactWriteItems: 6 });
    expect(run?.counts.transactionItems).toBe(42);
    expect(run?.counts.writeUnits).toBe(84);
    // The 4 faces that join a person read it (GetItem) and found at least one near face in a probe (Query).
    expect(run?.counts.itemsRead).toBeGreaterThanOrEqual(4 + 4);
    // At least 0.5 a Query (eventually consistent) and 1 a GetItem (consistent), found or not.
    expect(run?.counts.readUnits).toBeGreaterThanOrEqual(216 * 0.5 + 12);
  }, 120_000);
});
