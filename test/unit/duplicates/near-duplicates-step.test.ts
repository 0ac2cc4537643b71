import type { DuplicateStore } from '../../../lambdas/duplicates/duplicate-store';
import { nearDuplicatesStep } from '../../../lambdas/duplicates/steps/near-duplicates';
import { imageItem, processedAnalysis } from '../../support/items';

/** A 32x32 RGB gradient: detail enough to hash. */
function pixels() {
  const [width, height, channels] = [32, 32, 3];
  const data = Buffer.alloc(width * height * channels);
  for (let at = 0; at < width * height; at++) data.set([(at % width) * 8, Math.floor(at / width) * 8, 90], at * 3);
  return { data, width, height, channels };
}

/** The step as the processor runs it once the record is stored: only what it reads of the context and analysis. */
async function run(deps: Record<string, unknown>) {
  const item = imageItem({ owner: 'ada' });
  const context = { deps, now: () => '2026-11-30T00:00:00.000Z' } as unknown as Parameters<
    typeof nearDuplicatesStep.run
  >[0];
  const analysis = {
    item,
    stored: { item },
    decoded: { pixels: pixels(), record: processedAnalysis({ width: 32, height: 32 }) },
  } as unknown as Parameters<typeof nearDuplicatesStep.run>[1];
  return nearDuplicatesStep.run(context, analysis);
}

describe('the near-duplicates step', () => {
  it('notes and counts a failure rather than throwing: a retry would publish the stored record and not come back', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
    const failing = new Proxy({}, { get: () => () => Promise.reject(throttled) }) as unknown as DuplicateStore;
    const notes: string[] = [];
    const counts: string[] = [];
    const deps = {
      duplicates: failing,
      duplicateEvents: { publish: async () => undefined },
      onNote: (message: string) => notes.push(message),
      onCount: (metric: string) => counts.push(metric),
    };
    await expect(run(deps)).resolves.toEqual({});
    expect(notes).toEqual(['the photo could not be clustered with its near-duplicates']);
    expect(counts).toEqual(['NearDuplicatesFailed']);
  });
});
