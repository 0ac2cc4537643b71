import { stacksCleanup } from '../../../lambdas/stacks/cleanup';
import { createStack } from '../../../lambdas/stacks/stacks';
import { stackStep } from '../../../lambdas/stacks/steps/stack';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { TEST_USER } from '../../support/identities';
import { imageItem, processedAnalysis } from '../../support/items';
import { FakeStacks } from './fake-stacks';

const id = (n: number) => `01JABCDEFGHJKMNPQRSTVWXY${String(n).padStart(2, '0')}`;

function frame(n: number, ms: number): ImageItem {
  const analysis = processedAnalysis({ width: 64, height: 48 });
  analysis.metadata.exif = { make: 'Canon', model: 'EOS R5', takenAt: '2026-05-01T10:00:00', takenAtMs: ms };
  return imageItem({ imageId: id(n), analysis, filename: `IMG_${n}.JPG` });
}

/** The step as the processor runs it, once the record is stored: only what it reads of the context and analysis. */
async function run(item: ImageItem, deps: Record<string, unknown>) {
  const context = { deps } as unknown as Parameters<typeof stackStep.run>[0];
  const analysis = { item, stored: { item } } as unknown as Parameters<typeof stackStep.run>[1];
  return stackStep.run(context, analysis);
}

describe('the stack step', () => {
  it('stacks a stored photo with the burst frames posted before it, and counts it', async () => {
    const fake = new FakeStacks();
    const counted: string[] = [];
    const deps = { stacks: fake, postings: fake, onCount: (metric: string) => counted.push(metric) };
    fake.add(frame(1, 100), frame(2, 400));
    await run(frame(1, 100), deps);
    await run(frame(2, 400), deps);
    expect(fake.get(id(1)).stack).toMatchObject({ count: 2 });
    expect(fake.get(id(2)).stackedIn).toBe(fake.get(id(1)).stack?.id);
    expect(counted).toEqual(['StacksMade']);
  });

  it('notes a failure rather than failing a photo that is stored and announced', async () => {
    const fake = new FakeStacks();
    fake.add(frame(1, 100));
    const notes: string[] = [];
    const broken = { ...fake, post: fake.post.bind(fake), burstsIn: () => Promise.reject(new Error('throttled')) };
    const deps = { stacks: fake, postings: broken, onNote: (message: string) => notes.push(message) };
    await expect(run(frame(1, 100), deps)).resolves.toEqual({});
    expect(notes).toEqual(['the photo could not be stacked']);
  });

  it('takes a re-owned photo out of its old owner’s stack, with its postings, so it is not stacked there again', async () => {
    const fake = new FakeStacks();
    const deps = { stacks: fake, postings: fake };
    fake.add(frame(1, 100), frame(2, 400));
    await run(frame(1, 100), deps);
    await run(frame(2, 400), deps);
    const leaving = fake.get(id(2));
    await stackStep.leave?.({ ...leaving, owner: TEST_USER.sub }, deps as never);
    expect([1, 2].map((n) => fake.get(id(n)).stackedIn ?? fake.get(id(n)).stack)).toEqual([undefined, undefined]);
    expect(fake.stacks.size).toBe(0);
    expect(fake.bursts.map((posting) => posting.imageId)).toEqual([id(1)]);
  });

  it('does nothing without its table (a processor that leaves stacks out)', async () => {
    await expect(run(frame(1, 100), {})).resolves.toEqual({});
  });
});

describe('the stacks cleanup', () => {
  it('takes a trashed photo out of its stack, and a purged one’s postings too', async () => {
    const fake = new FakeStacks();
    fake.add(frame(1, 100), frame(2, 400), frame(3, 700));
    await fake.post({ pair: { owner: TEST_USER.sub, base: 'img_3', second: '2026-05-01T10:00:00', imageId: id(3) } });
    const deps = { stacks: fake, postings: fake };
    await createStack({ imageIds: [id(1), id(2), id(3)] }, { owner: TEST_USER.sub, admin: false }, deps);
    const cleanup = stacksCleanup(deps);
    await cleanup.trashed?.({ ...fake.get(id(1)), status: 'TRASHED' }, async () => undefined);
    expect(fake.get(id(2)).stack).toMatchObject({ count: 2 });
    await cleanup.remove(fake.get(id(3)));
    expect(fake.stacks.size).toBe(0);
    expect(fake.pairs).toEqual([]);
    expect([1, 2, 3].map((n) => fake.get(id(n)).stackedIn ?? fake.get(id(n)).stack)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
