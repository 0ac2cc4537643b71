import { pairwiseScores } from './pairwise';

describe('pairwiseScores', () => {
  it('scores a perfect grouping 1 and 1, whatever the group ids are called', () => {
    const labels = { a1: 'ada', a2: 'ada', a3: 'ada', b1: 'bob', b2: 'bob' };
    const grouped = { a1: 'P1', a2: 'P1', a3: 'P1', b1: 'P2', b2: 'P2' };
    expect(pairwiseScores(grouped, labels)).toEqual({
      precision: 1,
      recall: 1,
      pairs: { together: 4, samePerson: 4, both: 4 },
    });
  });

  it('loses recall when one person is split in two, and precision when two people are joined', () => {
    const labels = { a1: 'ada', a2: 'ada', a3: 'ada', b1: 'bob', b2: 'bob' };
    // Ada split (a3 alone): 1 of her 3 pairs kept.
    expect(pairwiseScores({ a1: 'P', a2: 'P', a3: 'Q', b1: 'R', b2: 'R' }, labels)).toEqual({
      precision: 1,
      recall: 2 / 4,
      pairs: { together: 2, samePerson: 4, both: 2 },
    });
    // Everyone in one group: 10 pairs claimed, 4 right.
    expect(pairwiseScores({ a1: 'P', a2: 'P', a3: 'P', b1: 'P', b2: 'P' }, labels)).toEqual({
      precision: 4 / 10,
      recall: 1,
      pairs: { together: 10, samePerson: 4, both: 4 },
    });
  });

  it('answers 1 for a share with nothing to count (no pair grouped, no pair of one person)', () => {
    expect(pairwiseScores({ a: 'P', b: 'Q' }, { a: 'ada', b: 'bob' })).toEqual({
      precision: 1,
      recall: 1,
      pairs: { together: 0, samePerson: 0, both: 0 },
    });
    expect(pairwiseScores({ a: 'P', b: 'Q' }, { a: 'ada', b: 'ada' }).recall).toBe(0);
  });

  it('does not confuse a group and a label that only look alike when joined', () => {
    const scores = pairwiseScores({ x: 'a', y: 'a#b' }, { x: 'b#c', y: 'c' });
    expect(scores.pairs.both).toBe(0);
  });

  it('refuses faces named in one map and not the other', () => {
    expect(() => pairwiseScores({ a: 'P', b: 'P' }, { a: 'ada' })).toThrow(
      'assignments and labels must name the same faces: 1 without a label (b), 0 without an assignment ()',
    );
  });
});
