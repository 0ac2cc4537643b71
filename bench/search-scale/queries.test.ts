import { FACE_BUCKETS } from '../../lambdas/search/terms';
import { scanFilter, truthOf } from './queries';

describe('the ground truth and the Scan filter', () => {
  // Images 0-3, oldest first: their faces, dates and terms (the `faces>=` buckets as termsOf files them).
  const faces = [0, 3, 1, 5];
  const bucketed = (min: number) => faces.flatMap((count, index) => (count >= min ? [index] : []));
  const catalogue = {
    ids: ['A', 'B', 'C', 'D'],
    phash: [],
    takenAt: ['2020-01-01T00:00:00', undefined, '2025-07-01T00:00:00', '2025-08-01T00:00:00'],
    faces: Uint8Array.from(faces),
    postings: new Uint16Array(4),
    terms: new Map<string, number[]>([
      ['all', [0, 1, 2, 3]],
      ['label=person', [1, 2, 3]],
      ['color=blue', [0, 2, 3]],
      ...FACE_BUCKETS.map((bucket) => [`faces>=${bucket}`, bucketed(bucket)] as [string, number[]]),
    ]),
    filenames: [],
    words: new Map<string, number[]>([
      ['beach', [0, 2]],
      ['beacon', [1]],
      ['dog', [2, 3]],
      ['do', [0]],
    ]),
  };

  it('matches every filter, newest first', () => {
    expect(truthOf({ label: 'Person', color: 'blue' }, catalogue)).toEqual([3, 2]);
    expect(truthOf({ minFaces: '3' }, catalogue)).toEqual([3, 1]);
    expect(truthOf({ minFaces: '4' }, catalogue)).toEqual([3]);
    expect(truthOf({ takenAfter: '2025-01-01', label: 'person' }, catalogue)).toEqual([3, 2]);
  });

  it('finds each word of q by its prefix, two letters whole, with the other filters', () => {
    expect(truthOf({ q: 'beac' }, catalogue)).toEqual([2, 1, 0]);
    expect(truthOf({ q: 'beach dog' }, catalogue)).toEqual([2]);
    expect(truthOf({ q: 'do' }, catalogue)).toEqual([0]);
    expect(truthOf({ q: 'dog', label: 'person' }, catalogue)).toEqual([3, 2]);
    expect(scanFilter('studio', { q: 'beach', color: 'blue' }).ExpressionAttributeValues).toEqual({
      ':owner': 'studio',
      ':t0': 'color=blue',
      ':t1': 'prefix=bea',
    });
  });

  it('filters the records on the same terms and facts', () => {
    const filter = scanFilter('studio', { label: 'Person', color: 'blue' });
    expect(filter.FilterExpression).toBe(
      '#owner = :owner AND contains(indexedTerms, :t0) AND contains(indexedTerms, :t1)',
    );
    expect(filter.ExpressionAttributeValues).toEqual({
      ':owner': 'studio',
      ':t0': 'label=person',
      ':t1': 'color=blue',
    });
    expect(scanFilter('studio', { minFaces: '4' }).FilterExpression).toContain('attribute_exists(#vision.#faces[3])');
    expect(scanFilter('studio', { status: 'FAILED' }).FilterExpression).toBe('#owner = :owner AND #status = :status');
  });
});
