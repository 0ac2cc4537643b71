import { FACE_MATCH_DISTANCE } from '../../../lambdas/people/contract';
import { decodeDescriptor, descriptorDistance, encodeDescriptor } from '../../../lambdas/people/descriptor';
import { bucketKey } from '../../../lambdas/people/face-index';
import { bucketKeyOf, bucketsOf, LSH_TABLES, PROJECTIONS_PER_TABLE, probesOf } from '../../../lambdas/people/lsh';
import { rekognitionRefKey } from '../../../lambdas/people/table-design';
import { nearDescriptor, personDescriptor } from '../../support/people-table';

/** A probe or a bucket as one string, its table and key. */
const at = (table: number, key: string) => `${table}#${key}`;

/** Whether a new face `query` reads the bucket of a stored face `stored` in one of its probes. */
function finds(query: readonly number[], stored: readonly number[]): boolean {
  const probed = new Set(probesOf(query).map(({ table, key }) => at(table, key)));
  return bucketsOf(stored).some((key, table) => probed.has(at(table, key)));
}

const slotsOf = (key: string) => key.split('.').map(Number);

describe('the LSH of face descriptors', () => {
  it('puts a descriptor in the same buckets as before (changing the projections needs a re-cluster)', () => {
    // Pinned: a stored face is found only in the buckets this code computed when it was grouped.
    const sine = Array.from({ length: 128 }, (_, i) => Math.sin(i + 1));
    const cosine = Array.from({ length: 128 }, (_, i) => Math.cos(3 * i) / 2);
    expect(bucketsOf(sine)).toEqual([
      '0.3.0.-2.3.4.1.-2',
      '5.2.3.1.5.2.-3.-3',
      '4.-3.1.-4.1.0.0.1',
      '1.0.0.-2.0.1.-1.2',
    ]);
    expect(bucketsOf(cosine)).toEqual([
      '2.1.0.0.1.-1.1.-1',
      '4.-1.-1.1.0.2.0.-1',
      '0.2.0.-1.0.0.-1.0',
      '1.-1.-1.1.0.2.1.1',
    ]);
  });

  it('probes each table at its own bucket and one slot over on each projection: 36 distinct buckets', () => {
    const probes = probesOf(personDescriptor(3));
    expect(probes).toHaveLength(LSH_TABLES * (1 + PROJECTIONS_PER_TABLE));
    expect(new Set(probes.map(({ table, key }) => at(table, key))).size).toBe(36);
    const own = bucketsOf(personDescriptor(3));
    for (const { table, key } of probes) {
      const moved = slotsOf(key).map((slot, i) => Math.abs(slot - (slotsOf(own[table] as string)[i] as number)));
      expect(moved.reduce((sum, step) => sum + step, 0)).toBeLessThanOrEqual(1);
    }
  });

  it('probes the slot past the nearer boundary: a face a step across one boundary is found in that very table', () => {
    // A step of 0.02 moves a position by about 0.007 of a slot: it can cross only the boundary it is nearest (and
    // rarely two projections' at once, which this simplest multi-probe does not reach in that table).
    let crossings = 0;
    for (let i = 0; i < 300; i++) {
      const face = personDescriptor(100 + i);
      const step = nearDescriptor(face, 0.02, 400 + i);
      const own = bucketsOf(face);
      const probes = probesOf(face);
      bucketsOf(step).forEach((key, table) => {
        const moved = slotsOf(key).filter((slot, i) => slot !== slotsOf(own[table] as string)[i]).length;
        if (moved !== 1) return;
        crossings++;
        expect(probes.some((probe) => probe.table === table && probe.key === key)).toBe(true);
      });
    }
    expect(crossings).toBeGreaterThan(10);
  });

  it('finds near descriptors among the probes far more often than far ones, whichever is grouped first', () => {
    let near = 0;
    let atEdge = 0;
    let far = 0;
    for (let i = 0; i < 400; i++) {
      const face = personDescriptor(1000 + i);
      const both = (other: number[]) => finds(face, other) && finds(other, face);
      if (both(nearDescriptor(face, 0.3, 5000 + i))) near++;
      if (both(nearDescriptor(face, FACE_MATCH_DISTANCE - 0.01, 7000 + i))) atEdge++;
      if (both(personDescriptor(9000 + i))) far++;
    }
    // A pair d apart: a . (u - v) ~ N(0, d^2) on each projection (lsh.ts derives it): at 0.3 a pair meets with
    // 0.9997, at 0.49 with 0.994 (one way), random unit pairs (1.41 apart) seldom.
    expect(near).toBeGreaterThanOrEqual(399);
    expect(atEdge).toBeGreaterThanOrEqual(392);
    expect(far).toBeLessThan(200);
  });

  it('is translation-invariant: a common offset changes the buckets, not how often two faces meet', () => {
    // a . (u + o) - a . (v + o) = a . (u - v): the offset moves every slot's phase, so a given pair may meet or not
    // afterwards, with the same probability, which depends on its distance alone.
    const offset = personDescriptor(77).map((value) => value * 5);
    const shift = (v: number[]) => v.map((value, i) => value + (offset[i] as number));
    let changed = 0;
    const met = { plain: [0, 0], shifted: [0, 0] };
    for (let i = 0; i < 400; i++) {
      const face = personDescriptor(2000 + i);
      if (bucketsOf(shift(face)).every((key, table) => key !== bucketsOf(face)[table])) changed++;
      [0.45, 0.8].forEach((distance, d) => {
        const other = nearDescriptor(face, distance, 3000 + 1000 * d + i);
        if (finds(face, other)) (met.plain[d] as number)++;
        if (finds(shift(face), shift(other))) (met.shifted[d] as number)++;
      });
    }
    expect(changed).toBeGreaterThanOrEqual(390);
    // One way, the derivation in lsh.ts: 0.45 apart 0.997 of pairs meet, 0.8 apart 0.91.
    expect(met.plain[0]).toBeGreaterThanOrEqual(396);
    expect(met.shifted[0]).toBeGreaterThanOrEqual(396);
    expect(Math.abs((met.plain[1] as number) - (met.shifted[1] as number))).toBeLessThanOrEqual(25);
    expect(met.shifted[1]).toBeGreaterThan(330);
    expect(met.shifted[1]).toBeLessThan(390);
  });

  it('spreads descriptors gathered near one point far from the origin over many buckets', () => {
    // 300 faces 0.7 from a point 5 from the origin (about 1 apart, as two people's descriptors are), all pointing
    // nearly one way as dlib's do: hyperplanes through the origin put them all on one side of nearly every plane.
    const centre = personDescriptor(88).map((value) => value * 5);
    const faces = Array.from({ length: 300 }, (_, i) => nearDescriptor(centre, 0.7, 6000 + i));
    for (let table = 0; table < LSH_TABLES; table++) {
      const counts = new Map<string, number>();
      for (const face of faces) {
        const key = bucketsOf(face)[table] as string;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      // Measured: 46-93 buckets per table, the largest holding 20-100 faces.
      expect(counts.size).toBeGreaterThanOrEqual(40);
      expect(Math.max(...counts.values())).toBeLessThanOrEqual(110);
    }
  });

  it("keys buckets and Rekognition refs by owner, so one owner's lookups never read another's", () => {
    expect(bucketKey('owner-a', 2, '0.-1.2.0.1.0.-3.1')).toBe('owner-a#FB#2#0.-1.2.0.1.0.-3.1');
    expect(bucketKey('owner-b', 2, '0.-1')).not.toBe(bucketKey('owner-a', 2, '0.-1'));
    expect(bucketKeyOf([0, -1, 2])).toBe('0.-1.2');
    expect(rekognitionRefKey('owner-a', 'f-1')).toEqual({ pk: 'owner-a#REK#f-1', sk: 'FACE' });
  });
});

describe('descriptors as stored', () => {
  it('take 512 bytes (float32, little-endian) and read back within float32 precision', () => {
    const descriptor = personDescriptor(4);
    const bytes = encodeDescriptor(descriptor);
    expect(bytes.byteLength).toBe(512);
    expect(Buffer.from(bytes).readFloatLE(4)).toBeCloseTo(descriptor[1] as number, 6);
    expect(descriptorDistance(decodeDescriptor(bytes), descriptor)).toBeLessThan(1e-6);
  });

  it('compare by Euclidean distance', () => {
    const a = personDescriptor(5);
    expect(descriptorDistance(a, nearDescriptor(a, 0.25, 6))).toBeCloseTo(0.25, 10);
    expect(descriptorDistance(a, personDescriptor(7))).toBeGreaterThan(1.2);
  });
});
