import { table } from '../../../lambdas/cli/table';

describe('table', () => {
  it('pads every column to its widest cell but the last', () => {
    expect(table(['A', 'BB', 'C'], [['long', 'x', 'last one']])).toEqual(['A     BB  C', 'long  x   last one']);
  });

  it('leaves no trailing spaces on a row whose last cells are empty', () => {
    expect(table(['A', 'B'], [['x', '']])).toEqual(['A  B', 'x']);
  });
});
