import type { SourceObjectMessage } from '../../../../../lambdas/backfill/source-object';
import {
  RESEND_AFTER_SECONDS,
  type RotateImageDeps,
  rotateImage,
} from '../../../../../lambdas/images/functions/rotate-image/rotate-image';
import { RotationChangeSchema } from '../../../../../lambdas/images/functions/rotate-image/route';
import type { ImageEvent } from '../../../../../lambdas/manifest/events';
import type { EditAsk, EditAsked } from '../../../../../lambdas/store/edit-ask';
import type { EditSent, ImageItem } from '../../../../../lambdas/store/image-item';
import { ROTATION_EDIT } from '../../../../../lambdas/store/reanalysing-edit';
import { OTHER_USER, TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';

const caller = { owner: TEST_USER.sub, admin: false };
const processed = (overrides: Partial<ImageItem> = {}) =>
  imageItem({ analysis: processedAnalysis({ width: 4, height: 3 }), ...overrides });
const NOW = new Date('2026-11-28T10:00:00.000Z');
/** A message sent this long before NOW is taken as lost. */
const LOST = new Date(NOW.getTime() - RESEND_AFTER_SECONDS * 1000).toISOString();
const sentAt = (at: string) => ({ at, token: 'earlier-request' });

/**
 * The route's adapters in memory: the record each read answers (the last one again after), what the store's
 * conditional write answers (as DynamoDB judges it: test/integration/images/functions/rotate-image), the asks and
 * marks taken off, the events and the messages sent.
 */
function rotateWorld(reads: ImageItem | undefined | (ImageItem | undefined)[], options: RotateWorldOptions = {}) {
  const records = Array.isArray(reads) ? [...reads] : [reads];
  const calls = { asks: [] as EditAsk<unknown>[], unmarked: [] as EditSent[], events: [] as ImageEvent[] };
  const sent: SourceObjectMessage[] = [];
  const deps: RotateImageDeps = {
    store: {
      get: async () => (records.length > 1 ? records.shift() : records[0]),
      askEdit: async (edit, ask) => {
        expect(edit).toBe(ROTATION_EDIT);
        calls.asks.push(ask);
        return options.asked ?? 'changed';
      },
      unmarkEditSent: async (edit, _imageId, mark) => {
        expect(edit).toBe(ROTATION_EDIT);
        calls.unmarked.push(mark);
      },
    },
    publisher: { publish: async (event) => void calls.events.push(event as ImageEvent) },
    queue: {
      send: async (message) => {
        if (options.sendFails) throw new Error('the queue is down');
        sent.push(message);
      },
    },
    now: () => NOW,
    token: () => 'this-request',
  };
  return { deps, calls, sent };
}

interface RotateWorldOptions {
  asked?: EditAsked;
  sendFails?: boolean;
}

describe('rotation (PUT /images/{id}/rotation)', () => {
  it('writes the rotation, announces Image Updated and sends the image to be analysed again: 202', async () => {
    const { deps, calls, sent } = rotateWorld(processed());
    expect(await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).toEqual({
      imageId: IDS.newer,
      rotation: 90,
      status: 'REANALYSING',
    });
    // One conditional write: the rotation and this request's message, under the owner it read.
    expect(calls.asks).toEqual([
      {
        imageId: IDS.newer,
        owner: TEST_USER.sub,
        value: 90,
        after: [],
        sent: { at: NOW.toISOString(), token: 'this-request' },
        resendBefore: LOST,
      },
    ]);
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

  it('asks for 0 when a turn is undone, so no re-analysis can bring the earlier one back', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 270, rotationApplied: 270 }));
    await rotateImage(IDS.newer, { degrees: 0 }, caller, deps);
    expect(calls.asks.map((ask) => ask.value)).toEqual([0]);
    expect(sent).toHaveLength(1);
  });

  it('writes, publishes and sends nothing when the image is turned so already: 200', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 180, rotationApplied: 180 }));
    expect(await rotateImage(IDS.newer, { degrees: 180 }, caller, deps)).toEqual({
      imageId: IDS.newer,
      rotation: 180,
      status: 'UNCHANGED',
    });
    expect([calls.asks, calls.events, sent]).toEqual([[], [], []]);
  });

  it('takes 0 as no turn for an image never rotated', async () => {
    const { deps, calls, sent } = rotateWorld(processed());
    expect((await rotateImage(IDS.newer, { degrees: 0 }, caller, deps)).status).toBe('UNCHANGED');
    expect([calls.asks, sent]).toEqual([[], []]);
  });

  it('writes, publishes and sends nothing for a rotation being made, its message on its way: 202', async () => {
    const { deps, calls, sent } = rotateWorld(processed({ rotation: 90, rotationSent: sentAt(LOST) }));
    expect(await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).toEqual({
      imageId: IDS.newer,
      rotation: 90,
      status: 'REANALYSING',
    });
    expect([calls.asks, calls.events, sent]).toEqual([[], [], []]);
  });

  it('sends again, publishing nothing, a rotation asked whose message was never sent or is older than the bound', async () => {
    const older = new Date(Date.parse(LOST) - 1).toISOString();
    for (const record of [processed({ rotation: 90 }), processed({ rotation: 90, rotationSent: sentAt(older) })]) {
      const { deps, calls, sent } = rotateWorld(record, { asked: 'resend' });
      expect((await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).status).toBe('REANALYSING');
      expect(calls.asks).toHaveLength(1);
      expect([calls.events, sent.length]).toEqual([[], 1]);
    }
  });

  it('answers as a repeat, sending nothing, when another request turned it first', async () => {
    const turned = processed({ rotation: 90, rotationSent: sentAt(NOW.toISOString()) });
    const { deps, calls, sent } = rotateWorld([processed(), turned], { asked: false });
    expect((await rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).status).toBe('REANALYSING');
    expect([calls.asks.length, calls.events, sent]).toEqual([1, [], []]);
  });

  it('is a 409, sending nothing, when the record changed otherwise while it was being edited', async () => {
    const { deps, sent } = rotateWorld([processed(), processed({ rotation: 180 })], { asked: false });
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(sent).toEqual([]);
  });

  it("takes its message's mark off when it could not be sent, so the request sent again sends it", async () => {
    const { deps, calls } = rotateWorld(processed(), { sendFails: true });
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toThrow('the queue is down');
    expect(calls.unmarked).toEqual([{ at: NOW.toISOString(), token: 'this-request' }]);
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

  it('is a 409, writing nothing, for an object the processor cannot find again (put without an upload URL)', async () => {
    const { deps, calls } = rotateWorld(processed({ key: 'uploads/someone-elses-name.jpg' }));
    await expect(rotateImage(IDS.newer, { degrees: 90 }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/cannot be analysed again/),
    });
    expect(calls.asks).toEqual([]);
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
