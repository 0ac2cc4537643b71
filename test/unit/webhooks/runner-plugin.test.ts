import { withoutPorts } from '../../../lambdas/webhooks/runner-plugin';

describe('withoutPorts', () => {
  it('splits a range around each port of the runner’s own', () => {
    expect(withoutPorts([{ from: 1024, to: 65_535 }], [3000, 5000])).toEqual([
      { from: 1024, to: 2999 },
      { from: 3001, to: 4999 },
      { from: 5001, to: 65_535 },
    ]);
  });

  it('drops a port allowed alone, and an end of a range', () => {
    expect(withoutPorts([{ from: 8787, to: 8787 }], [8787])).toEqual([]);
    expect(withoutPorts([{ from: 8000, to: 8999 }], [8000, 8999])).toEqual([{ from: 8001, to: 8998 }]);
  });

  it('leaves ranges that hold none of them', () => {
    expect(withoutPorts([{ from: 8787, to: 8787 }], [3000, 45_123])).toEqual([{ from: 8787, to: 8787 }]);
  });
});
