import { guardTable, regressions, worsening } from './guard';

describe("the benches' regression guard", () => {
  const time = { figure: 'first GET', unit: 'ms', baseline: 50, ours: 56, better: 'lower' as const };
  const rate = { figure: 'throughput', unit: 'img/s', baseline: 10, ours: 8, better: 'higher' as const };

  it('reads worse in the direction of the figure: a longer time, a lower rate', () => {
    expect(worsening(time)).toBeCloseTo(0.12, 9);
    expect(worsening(rate)).toBeCloseTo(0.25, 9);
    expect(worsening({ ...rate, ours: 12 })).toBeLessThan(0);
  });

  it('calls a move a regression only past the tolerance', () => {
    expect(regressions([time, rate], 0.1)).toEqual([time, rate]);
    expect(regressions([time, rate], 0.2)).toEqual([rate]);
    expect(guardTable([time, { ...rate, ours: 12 }], { baseline: 'base', ours: 'this' }, 0.1)).toBe(
      [
        '| figure | base | this | moved | verdict |',
        '| --- | --- | --- | --- | --- |',
        '| first GET | 50 ms | 56 ms | +12.0 % | REGRESSED |',
        '| throughput | 10.00 img/s | 12.00 img/s | +20.0 % | better |',
      ].join('\n'),
    );
  });
});
