import { FACE_MATCH_DISTANCE } from '../../../lambdas/people/contract';
import { decodeDescriptor, descriptorDistance, encodeDescriptor } from '../../../lambdas/people/descriptor';
import { bucketKey } from '../../../lambdas/people/face-index';
import { BITS_PER_TABLE, bucketsOf, LSH_TABLES, probesOf } from '../../../lambdas/people/lsh';
import { rekognitionRefKey } from '../../../lambdas/people/table-design';
import { nearDescriptor, personDescriptor } from '../../support/people-table';

describe('the LSH of face descriptors', () => {
  it('puts a descriptor in the same buckets as before (changing the hyperplanes needs a re-cluster)', () => {
    // Pinned: a stored face is found only in the buckets this code computed when it was grouped.
    const sine = Array.from({ length: 128 }, (_, i) => Math.sin(i + 1));
    const cosine = Array.from({ length: 128 }, (_, i) => Math.cos(3 * i) / 2);
    expect(bucketsOf(sine)).toEqual([0x94, 0x32, 0x32, 0x63]);
    expect(bucketsOf(cosine)).toEqual([0x1d, 0xe7, 0xc0, 0x77]);
  });

  it('probes each table at its own bucket and the 8 one bit away: 36 distinct buckets', () => {
    const probes = probesOf(personDescriptor(3));
    expect(probes).toHaveLength(LSH_TABLES * (1 + BITS_PER_TABLE));
    expect(new Set(probes.map(({ table, bits }) => `${table}#${bits}`)).size).toBe(36);
    const own = bucketsOf(personDescriptor(3));
    for (const { table, bits } of probes) {
      const differing = (bits ^ (own[table] as number)).toString(2).replaceAll('0', '').length;
      expect(differing).toBeLessThanOrEqual(1);
    }
  });

  it('finds near descriptors among the probes far more often than far ones', () => {
    let near = 0;
    let atEdge = 0;
    let far = 0;
    for (let i = 0; i < 200; i++) {
      const face = personDescriptor(1000 + i);
      const probed = new Set(probesOf(face).map(({ table, bits }) => `${table}#${bits}`));
      const found = (other: number[]) => bucketsOf(other).some((bits, table) => probed.has(`${table}#${bits}`));
      if (found(nearDescriptor(face, 0.3, 5000 + i))) near++;
      if (found(nearDescriptor(face, FACE_MATCH_DISTANCE - 0.01, 7000 + i))) atEdge++;
      if (found(personDescriptor(9000 + i))) far++;
    }
    // 0.3 apart (inside the match distance): 1,000 of 1,000 such pairs meet in a probe; random pairs: 12 %.
    expect(near).toBeGreaterThanOrEqual(198);
    // Just inside the match distance (an angle of about 26 degrees between unit vectors): each bit differs with
    // p = 0.15, so a table's probes meet with 0.66 and one of 4 with 0.99.
    expect(atEdge).toBeGreaterThanOrEqual(190);
    expect(far).toBeLessThan(50);
  });

  it("keys buckets and Rekognition refs by owner, so one owner's lookups never read another's", () => {
    expect(bucketKey('owner-a', 2, 0x0f)).toBe('owner-a#FB#2#0f');
    expect(bucketKey('owner-b', 2, 0x0f)).not.toBe(bucketKey('owner-a', 2, 0x0f));
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
