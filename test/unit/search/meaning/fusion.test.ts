import { fuse, RRF_K } from '../../../../lambdas/search/meaning/fusion';

const near = (...ids: string[]) => ids.map((imageId, i) => ({ imageId, distance: 0.2 + i * 0.1 }));

describe('fuse', () => {
  it('ranks an image both lists have above one either has, and says why each is there', () => {
    const fused = fuse(['A', 'B'], [near('C', 'B')], { maxDistance: 1, limit: 10 });
    expect(fused.map((hit) => [hit.imageId, hit.matched])).toEqual([
      ['B', ['words', 'meaning']],
      ['A', ['words']],
      ['C', ['meaning']],
    ]);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 2));
    expect(fused[2]?.distance).toBeCloseTo(0.2);
  });

  it('drops what is farther than the cut-off: a query that means nothing here finds nothing by meaning', () => {
    expect(fuse([], [near('A', 'B', 'C')], { maxDistance: 0.25, limit: 10 }).map((hit) => hit.imageId)).toEqual(['A']);
    expect(fuse([], [near('A')], { maxDistance: 0.1, limit: 10 })).toEqual([]);
  });

  it('keeps at most the limit, and counts an image once per list', () => {
    const fused = fuse(['A', 'A', 'B', 'C'], [near('A', 'A')], { maxDistance: 1, limit: 2 });
    expect(fused.map((hit) => hit.imageId)).toEqual(['A', 'B']);
    expect(fused[0]?.score).toBeCloseTo(2 / (RRF_K + 1));
  });

  it("counts an image's meaning once across spaces: its rank in the current model's list, else in the previous one's", () => {
    const fused = fuse([], [near('A', 'B'), near('B', 'C')], { maxDistance: 1, limit: 10 });
    const scores = Object.fromEntries(fused.map((hit) => [hit.imageId, hit.score]));
    expect(scores.A).toBeCloseTo(1 / (RRF_K + 1));
    // B is first in the previous list, but the current model's rank is the one that counts.
    expect(scores.B).toBeCloseTo(1 / (RRF_K + 2));
    expect(scores.C).toBeCloseTo(1 / (RRF_K + 2));
    expect(fused.every((hit) => hit.matched.join() === 'meaning')).toBe(true);
  });
});
