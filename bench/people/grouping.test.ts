import { randomUUID } from 'node:crypto';
import { nearDescriptor, personDescriptor } from '../../test/support/people-table';
import { testEndpoint } from '../../test/support/shared-moto';
import { descriptorCentre, groupingRuns, lshSpread } from './grouping';
import { committedHashing, hyperplaneHashing, pairMeetRate, syntheticSet } from './hashings';
import type { LabelledDescriptor } from './set';

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
    const spread = lshSpread(twoPeople(zero));
    // Copies 0.2 from their person are at most 0.4 apart, within FACE_MATCH_DISTANCE: 2 x C(8, 2) near pairs.
    expect(spread.nearPairs).toBe(56);
    expect(spread.otherPairs).toBe(64);
    expect(spread.tables).toHaveLength(4);
  });

  it('finds the crowding of descriptors far from the origin under the hyperplanes, and the projections spread them', () => {
    const set = syntheticSet(40, 5, 4, 3);
    const before = lshSpread(set, hyperplaneHashing);
    const committed = lshSpread(set, committedHashing);
    expect(committed.hashing).toBe('committed');
    expect(before.otherPairsMet).toBeGreaterThan(before.otherPairs * 0.99);
    expect(Math.min(...committed.tables.map((t) => t.distinct))).toBeGreaterThan(
      Math.max(...before.tables.map((t) => t.distinct)),
    );
    expect(committed.otherPairsMet).toBeLessThan(committed.otherPairs / 2);
    // Copies within 0.2 of their person: at most 0.4 apart, and they meet whichever is grouped first.
    expect(committed.nearPairs).toBe(40 * 10);
    expect(committed.nearPairsMet).toBeGreaterThanOrEqual(396);
    expect(committed.isolated).toBe(0);
  });

  it('gives the share of pairs d apart that meet: nearly all within the match distance, fewer far apart', () => {
    expect(pairMeetRate(committedHashing, 0.3, 500, 1)).toBeGreaterThanOrEqual(0.99);
    expect(pairMeetRate(committedHashing, 1.4, 500, 1)).toBeLessThan(0.6);
  });

  it('leaves out copies without a descriptor', () => {
    const set = [...twoPeople(zero), { person: 'ada', copy: 'lost' }];
    expect(lshSpread(set).nearPairs).toBe(56);
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

describe("groupingRuns (the run's moto)", () => {
  it('groups the copies into their people and counts every request the grouping makes', async () => {
    const set = twoPeople(zero).filter((s) => Number(s.copy) < 3);
    const [run] = await groupingRuns(set, [], undefined, {
      endpoint: testEndpoint(),
      prefix: `bench-people-${randomUUID().slice(0, 8)}`,
    });
    expect(run).toMatchObject({ faces: 6, people: 2, scores: { precision: 1, recall: 1 } });
    // Per face: its item (a retry?) and the person it joins or founds, 36 probes, one transaction of 7 items; and
    // the 2 faces that found a person probe the 36 buckets again once written (a concurrent founder to merge with);
    // per image one Query of the faces its owner took out of a person (corrections, face-corrections.ts); and per
    // person an image names, one GetItem of who it is now (a founder merged meanwhile is recorded as its target).
    expect(run?.counts.requests).toEqual({ GetItem: 12 + 6, Query: 216 + 72 + 6, TransactWriteItems: 6 });
    expect(run?.counts.transactionItems).toBe(42);
    expect(run?.counts.writeUnits).toBe(84);
    // The 4 faces that join a person read it (GetItem) and found at least one near face in a probe (Query).
    expect(run?.counts.itemsRead).toBeGreaterThanOrEqual(4 + 4);
    // At least 0.5 a Query (eventually consistent) and 1 a GetItem (consistent), found or not.
    expect(run?.counts.readUnits).toBeGreaterThanOrEqual(216 * 0.5 + 12);
  }, 120_000);
});
