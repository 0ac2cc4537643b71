import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { useEveryCore } from '../../../../lambdas/core/analysis/threads';

describe('libvips threads per pipeline (issue 57)', () => {
  const before = sharp.concurrency();
  afterEach(() => sharp.concurrency(before));

  it("uses every core where the allocator's arenas are capped, as in the deployed functions", () => {
    sharp.concurrency(1);
    expect(useEveryCore({ MALLOC_ARENA_MAX: '2' })).toBe(availableParallelism());
  });

  it("leaves sharp's own choice where they are not (the local runner, a test)", () => {
    sharp.concurrency(1);
    expect(useEveryCore({})).toBe(1);
  });
});
