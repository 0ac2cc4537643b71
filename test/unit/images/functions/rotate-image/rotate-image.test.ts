import type { SourceObjectMessage } from '../../../../../lambdas/backfill/source-object';
import { rotateImage } from '../../../../../lambdas/images/functions/rotate-image/rotate-image';
import { RotationChangeSchema } from '../../../../../lambdas/images/functions/rotate-image/route';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { OTHER_USER, TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { editWorld } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const processed = (overrides: Partial<ImageItem> = {}) =>
  imageItem({ analysis: processedAnalysis({ width: 4, height: 3 }), ...overrides });

/** The edit world with the ingest queue: the messages sent. */
function rotateWorld(item: ImageItem | undefined, writes = true) {
  const { deps, calls } = editWorld(item, writes);
  const sent: SourceObjectMessage[] = [];
  return {
    deps: { ...deps, queue: { send: async (message: SourceObjectMessage) => void sent.push(message) } },
    calls,
    sent,
  };
}

describe('rotation (PUT /images/{id}/rotation)', () => {
  it('writes the rotation, announces Image Updated and sends the image to be analysed again: 202', async () => {
    const { deps, calls, sent } = rotateWorld(processed());
    expect(await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).toEqual({
      imageId: IDS.newer,
      rotation: 90,
      status: 'REANALYSING',
    });
    expect(calls.written[0]?.rotation).toBe(90);
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['rotation'], rotation: 90 });
    // The message a re-analysing backfill would send for the upload's object, under its owner, re-owning nothing.
    expect(sent).toEqual([
      expect.objectContaining({
        bucket: 'images-bucket',
        owner: TEST_USER.sub,
        reprocess: true,
        reown: false,
        object: expect.objectContaining({ Key: `uploads/${IDS.newer}.jpg`, ETag: '"0123456789abcdef"' }),
      }),
    ]);
  });

  it('stores 0 when a turn is undone, so no re-analysis can bring the earlier one back', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 270, rotationApplied: 270 }));
    await rotateImage(IDS.newer, { degrees: 0 }, caller, deps);
    expect(calls.written[0]?.rotation).toBe(0);
    expect(sent).toHaveLength(1);
  });

  it('writes, publishes and sends nothing when the image is turned so already: 200', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 180, rotationApplied: 180 }));
    expect(await rotateImage(IDS.newer, { degrees: 180 }, caller, deps)).toEqual({
      imageId: IDS.newer,
      rotation: 180,
      status: 'UNCHANGED',
    });
    expect([calls.written, calls.events, sent]).toEqual([[], [], []]);
  });

  it('takes 0 as no turn for an image never rotated', async () => {
    const { deps, sent } = rotateWorld(processed());
    expect((await rotateImage(IDS.newer, { degrees: 0 }, caller, deps)).status).toBe('UNCHANGED');
    expect(sent).toEqual([]);
  });

  it('sends again, writing nothing, a rotation asked and not yet made (a retry after a failed send)', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 90 }));
    expect((await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).status).toBe('REANALYSING');
    expect([calls.written, calls.events]).toEqual([[], []]);
    expect(sent).toHaveLength(1);
  });

  it("is a 404 for another owner's image, as GET answers", async () => {
    const { deps, sent } = rotateWorld(processed({ owner: OTHER_USER.sub }));
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(sent).toEqual([]);
  });

  it('is a 404 for no image', async () => {
    const { deps } = rotateWorld(undefined);
    await expect(rotateImage(IDS.unknown, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('is a 409 until the image is PROCESSED', async () => {
    const { deps, sent } = rotateWorld(imageItem({ status: 'PENDING' }));
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(sent).toEqual([]);
  });

  it('is a 409, sending nothing, when the record changed while it was being edited', async () => {
    const { deps, sent } = rotateWorld(processed(), false);
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(sent).toEqual([]);
  });

  it('is a 409, writing nothing, for an object the processor cannot find again (put without an upload URL)', async () => {
    const { deps, calls } = rotateWorld(processed({ key: 'uploads/someone-elses-name.jpg' }));
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/cannot be analysed again/),
    });
    expect(calls.written).toEqual([]);
  });

  it('takes only {degrees: 0 | 90 | 180 | 270} (a 400 otherwise)', () => {
    for (const body of [
      { degrees: 45 },
      { degrees: -90 },
      { degrees: 360 },
      { degrees: '90' },
      {},
      { degrees: 90, x: 1 },
    ]) {
      expect(RotationChangeSchema.safeParse(body).success).toBe(false);
    }
    expect(RotationChangeSchema.parse({ degrees: 270 })).toEqual({ degrees: 270 });
  });
});
