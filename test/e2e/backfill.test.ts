import { ANALYSIS_VERSION } from '../../lambdas/core/record';
import type { ImageItem } from '../../lambdas/store/image-item';
import { backfillLibrary } from './backfill-library';

/**
 * `image-intel backfill` as an operator runs it against the shared jwt runner, over 120 objects put straight into a
 * prefix of its own of a source bucket, which the pipeline never saw (photos, byte-identical copies, non-images, empty, truncated, oversized and bomb
 * files, folder placeholders, odd keys), two runs started at once: each object must end with exactly one record and
 * one event. A second run and a re-analysis are backfill-again.test.ts's, on a library of their own, so that the
 * three runs do not wait for one another.
 */
jest.setTimeout(600_000);

// 12 batches of 10 for each of the two runs: enough for them to overlap batch after batch, with every kind of object
// (sourceObjects: 46 odd ones, 15 copies, the rest photos). 500 took 211 s alone on 2 cores and over 600 s beside the
// rest of `npm test`, and 250 put 500 messages in the queue every e2e file shares, for no case 120 does not have.
const OBJECTS = 120;
const library = backfillLibrary(OBJECTS);

describe('image-intel backfill over a bucket the pipeline never saw', () => {
  it('gives every object one record and one event, even with two runs started at once', async () => {
    const { objects, backfill, recorded } = library;
    expect(objects).toHaveLength(OBJECTS);
    // --force: the second would be refused while the first is not done (docs/api.md#backfills); here both must run.
    const [first, second] = await Promise.all([
      backfill('--owner', library.owner, '--force'),
      backfill('--owner', library.owner, '--force'),
    ]);
    expect([first, second].map(({ code, stderr }) => ({ code, stderr }))).toEqual([
      { code: 0, stderr: expect.any(String) },
      { code: 0, stderr: expect.any(String) },
    ]);
    expect(first.stdout).toMatch(/backfill finished in .*: 120 listed, 120 queued/);

    const items = await library.imageItems();
    expect(items.map((item) => item.imageId).sort()).toEqual(
      recorded()
        .map((object) => object.id)
        .sort(),
    );
    for (const object of recorded()) {
      const item = items.find((candidate) => candidate.imageId === object.id) as ImageItem;
      expect({ key: item.key, status: item.status }).toEqual({ key: object.key, status: object.expect });
      expect(item).toMatchObject({
        owner: library.owner,
        sourceBucket: library.bucket,
        analysisVersion: ANALYSIS_VERSION,
      });
    }

    const events = await library.eventsPerImage(recorded().length);
    expect(events.size).toBe(recorded().length);
    for (const object of recorded()) {
      expect(events.get(object.id)).toEqual([object.expect === 'PROCESSED' ? 'Image Processed' : 'Image Rejected']);
    }
  });
});
