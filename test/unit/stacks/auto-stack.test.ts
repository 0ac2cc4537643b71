import { autoStack, baseName, postingsOf } from '../../../lambdas/stacks/auto-stack';
import type { ImageItem } from '../../../lambdas/store/image-item';
import { imageItem, processedAnalysis } from '../../support/items';
import { FakeStacks } from './fake-stacks';

const id = (n: number) => `01JABCDEFGHJKMNPQRSTVWXY${String(n).padStart(2, '0')}`;

/** A photo of a camera, taken at 10:00:<second>.<ms>, with this perceptual hash. */
function shot(
  n: number,
  taken: { second: number; ms?: number },
  options: { model?: string; phash?: string; filename?: string; format?: 'jpeg' | 'heic' } = {},
): ImageItem {
  const analysis = processedAnalysis({ width: 64, height: 48, format: options.format });
  analysis.metadata.exif = {
    make: 'Canon',
    model: options.model ?? 'EOS R5',
    takenAt: `2026-05-01T10:00:${String(taken.second).padStart(2, '0')}`,
    ...(taken.ms !== undefined && { takenAtMs: taken.ms }),
  };
  analysis.hashes.phash = options.phash ?? '0123456789abcdef';
  return imageItem({ imageId: id(n), analysis, filename: options.filename ?? `IMG_${n}.JPG` });
}

let fake: FakeStacks;
const deps = () => ({ stacks: fake, postings: fake });

beforeEach(() => {
  fake = new FakeStacks();
});

/** Each photo stored, then stacked, one after another. */
async function arrive(...records: ImageItem[]) {
  const outcomes = [];
  for (const record of records) {
    fake.add(record);
    outcomes.push(await autoStack(record, deps()));
  }
  return outcomes;
}

const stacked = (n: number) => {
  const record = fake.get(id(n));
  return record.stack ? `primary of ${record.stack.count}` : record.stackedIn ? 'frame' : 'alone';
};

describe('a burst, stacked as its frames arrive', () => {
  it('stacks three frames 0.3 s apart, the earliest the primary', async () => {
    expect(
      await arrive(shot(2, { second: 0, ms: 400 }), shot(1, { second: 0, ms: 100 }), shot(3, { second: 0, ms: 700 })),
    ).toEqual(['alone', 'made', 'joined']);
    expect([1, 2, 3].map(stacked)).toEqual(['primary of 3', 'frame', 'frame']);
    expect([...fake.stacks.values()]).toEqual([
      expect.objectContaining({ kind: 'burst', frames: [id(1), id(2), id(3)] }),
    ]);
  });

  it('records the primary on every frame, again when an earlier frame arrives last and leads', async () => {
    await arrive(shot(3, { second: 0, ms: 700 }), shot(2, { second: 0, ms: 400 }));
    expect(fake.get(id(3)).stackPrimary).toBe(id(2));
    await arrive(shot(1, { second: 0, ms: 100 }));
    expect([1, 2, 3].map(stacked)).toEqual(['primary of 3', 'frame', 'frame']);
    expect([1, 2, 3].map((n) => fake.get(id(n)).stackPrimary)).toEqual([undefined, id(1), id(1)]);
  });

  it('keeps the frames in time order when a middle frame arrives last', async () => {
    await arrive(shot(1, { second: 0, ms: 100 }), shot(3, { second: 0, ms: 700 }), shot(2, { second: 0, ms: 400 }));
    expect([...fake.stacks.values()]).toEqual([
      expect.objectContaining({ primary: id(1), frames: [id(1), id(2), id(3)] }),
    ]);
  });

  it('follows a burst across a second: frames 0.3 s apart either side of it', async () => {
    await arrive(shot(1, { second: 0, ms: 900 }), shot(2, { second: 1, ms: 200 }));
    expect([1, 2].map(stacked)).toEqual(['primary of 2', 'frame']);
  });

  it('tells 0.3 s from 1.3 s by the milliseconds', async () => {
    await arrive(shot(1, { second: 0, ms: 100 }), shot(2, { second: 1, ms: 400 }));
    expect([1, 2].map(stacked)).toEqual(['alone', 'alone']);
  });

  it('stacks no frames of another camera, nor photos that are not near-duplicates', async () => {
    await arrive(shot(1, { second: 0, ms: 100 }), shot(2, { second: 0, ms: 400 }, { model: 'EOS R6' }));
    // 13 bits apart: a different picture taken in the same second.
    await arrive(shot(3, { second: 0, ms: 500 }, { phash: '0123456789abf010', filename: 'other.jpg' }));
    expect([1, 2, 3].map(stacked)).toEqual(['alone', 'alone', 'alone']);
  });

  it('leaves a locked photo out, as it arrives and as a neighbour', async () => {
    await arrive({ ...shot(1, { second: 0, ms: 100 }), locked: true });
    expect(await arrive(shot(2, { second: 0, ms: 300 }))).toEqual(['alone']);
    expect(fake.stacks.size).toBe(0);
  });

  it('makes one stack of frames processed at the same moment', async () => {
    const frames = [shot(1, { second: 0, ms: 100 }), shot(2, { second: 0, ms: 400 }), shot(3, { second: 0, ms: 700 })];
    fake.add(...frames);
    // Each processor posts, reads and writes at once: the transactions let one make the stack, the others join it.
    const outcomes = await Promise.all(frames.map((frame) => autoStack(frame, deps())));
    expect(outcomes.filter((outcome) => outcome === 'made')).toHaveLength(1);
    expect(fake.stacks.size).toBe(1);
    expect([1, 2, 3].map(stacked)).toEqual(['primary of 3', 'frame', 'frame']);
  });
});

describe('one shot in two formats', () => {
  it('stacks a HEIC and a JPEG of one base name and second, the JPEG the primary', async () => {
    const heic = shot(1, { second: 5 }, { filename: 'IMG_0042.HEIC', format: 'heic', model: 'iPhone 15' });
    const jpeg = shot(2, { second: 5 }, { filename: 'img_0042.jpg', phash: 'fedcba9876543210' });
    await arrive(heic, jpeg);
    expect([...fake.stacks.values()]).toEqual([expect.objectContaining({ kind: 'pair', primary: id(2) })]);
  });

  it('leaves apart files of one name taken at other times', async () => {
    await arrive(
      shot(1, { second: 5 }, { filename: 'a.jpg', model: 'X' }),
      shot(2, { second: 9 }, { filename: 'a.heic' }),
    );
    expect(fake.stacks.size).toBe(0);
  });
});

describe('postings', () => {
  it('post a photo by its camera and second, and by its base name', () => {
    const posted = postingsOf(shot(1, { second: 7, ms: 250 }, { filename: 'trip/IMG_0001.CR3' }));
    expect(posted.burst).toMatchObject({ camera: 'canon%7Ceos%20r5', second: '2026-05-01T10:00:07', ms: 250 });
    expect(posted.pair).toMatchObject({ base: 'img_0001', second: '2026-05-01T10:00:07' });
    expect(postingsOf(imageItem())).toEqual({});
  });

  it('take the base name without folder and last extension', () => {
    expect(baseName('C:\\photos\\IMG_1.tar.JPG')).toBe('img_1.tar');
    expect(baseName('.hidden')).toBe('.hidden');
    expect(baseName('')).toBeUndefined();
  });
});
