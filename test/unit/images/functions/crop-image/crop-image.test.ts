import type { SourceObjectMessage } from '../../../../../lambdas/backfill/source-object';
import { FULL_FRAME } from '../../../../../lambdas/core/crop';
import { type CropImageDeps, cropImage } from '../../../../../lambdas/images/functions/crop-api';
import { RESEND_AFTER_SECONDS } from '../../../../../lambdas/images/functions/reanalysis';
import type { ImageEvent } from '../../../../../lambdas/manifest/events';
import type { EditAsk, EditAsked } from '../../../../../lambdas/store/edit-ask';
import type { EditSent, ImageItem } from '../../../../../lambdas/store/image-item';
import { CROP_EDIT, ROTATION_EDIT } from '../../../../../lambdas/store/reanalysing-edit';
import { TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';

const caller = { owner: TEST_USER.sub, admin: false };
/** A 4000 x 3000 photo, analysed whole. */
const processed = (overrides: Partial<ImageItem> = {}) =>
  imageItem({ analysis: processedAnalysis({ width: 4000, height: 3000 }), ...overrides });
const NOW = new Date('2026-11-29T10:00:00.000Z');
const LOST = new Date(NOW.getTime() - RESEND_AFTER_SECONDS * 1000).toISOString();
const LEFT_HALF = { left: 0, top: 0, width: 0.5, height: 1 };
const TOP_HALF = { left: 0, top: 0, width: 1, height: 0.5 };

/** The route's adapters in memory, as rotate-image.test.ts has them. */
function cropWorld(reads: ImageItem | (ImageItem | undefined)[], asked: EditAsked = 'changed') {
  const records = Array.isArray(reads) ? [...reads] : [reads];
  const calls = { asks: [] as EditAsk<unknown>[], unmarked: [] as EditSent[], events: [] as ImageEvent[] };
  const sent: SourceObjectMessage[] = [];
  const deps: CropImageDeps = {
    store: {
      get: async () => (records.length > 1 ? records.shift() : records[0]),
      askEdit: async (edit, ask) => {
        expect(edit).toBe(CROP_EDIT);
        calls.asks.push(ask);
        return asked;
      },
      unmarkEditSent: async (edit, _imageId, mark) => {
        expect(edit).toBe(CROP_EDIT);
        calls.unmarked.push(mark);
      },
    },
    publisher: { publish: async (event) => void calls.events.push(event as ImageEvent) },
    queue: { send: async (message) => void sent.push(message) },
    now: () => NOW,
    token: () => 'this-request',
  };
  return { deps, calls, sent };
}

describe('crop (PUT and DELETE /images/{id}/crop)', () => {
  it('writes the crop, announces Image Updated and sends the image to be analysed again: 202', async () => {
    const { deps, calls, sent } = cropWorld(processed());
    expect(await cropImage(IDS.newer, LEFT_HALF, caller, deps)).toEqual({
      imageId: IDS.newer,
      crop: LEFT_HALF,
      status: 'REANALYSING',
    });
    expect(calls.asks).toEqual([
      {
        imageId: IDS.newer,
        owner: TEST_USER.sub,
        value: LEFT_HALF,
        after: [{ edit: ROTATION_EDIT, value: 0 }],
        sent: { at: NOW.toISOString(), token: 'this-request' },
        resendBefore: LOST,
      },
    ]);
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['crop'], crop: LEFT_HALF });
    expect(sent).toEqual([expect.objectContaining({ reprocess: true, reown: false })]);
  });

  it('keeps a crop of a turned photo as the same part of it before the turn, and answers it upright', async () => {
    // Turned 90 clockwise, the upright photo's top half is the left half of the picture before the turn.
    const { deps, calls } = cropWorld(processed({ rotation: 90, rotationApplied: 90 }));
    const answer = await cropImage(IDS.newer, TOP_HALF, caller, deps);
    expect(calls.asks[0]).toMatchObject({ value: LEFT_HALF, after: [{ edit: ROTATION_EDIT, value: 90 }] });
    expect(answer.crop).toEqual(TOP_HALF);
    expect(calls.events[0]?.detail).toMatchObject({ crop: TOP_HALF, rotation: 90 });
  });

  it('writes the whole photo when a crop is undone, so no re-analysis can bring the earlier one back', async () => {
    const { deps, calls, sent } = cropWorld(processed({ crop: LEFT_HALF, cropApplied: LEFT_HALF }));
    expect(await cropImage(IDS.newer, undefined, caller, deps)).toMatchObject({ crop: FULL_FRAME });
    expect(calls.asks.map((ask) => ask.value)).toEqual([FULL_FRAME]);
    expect(sent).toHaveLength(1);
  });

  it('writes, publishes and sends nothing when the image is cut so already: 200', async () => {
    const { deps, calls, sent } = cropWorld(processed({ crop: LEFT_HALF, cropApplied: LEFT_HALF }));
    expect((await cropImage(IDS.newer, LEFT_HALF, caller, deps)).status).toBe('UNCHANGED');
    expect([calls.asks, calls.events, sent]).toEqual([[], [], []]);
  });

  it('takes an undoing of an image never cropped as nothing to do', async () => {
    const { deps, calls } = cropWorld(processed());
    expect((await cropImage(IDS.newer, undefined, caller, deps)).status).toBe('UNCHANGED');
    expect(calls.asks).toEqual([]);
  });

  it('answers 202 and sends nothing for a crop being made, its message on its way', async () => {
    const { deps, calls, sent } = cropWorld(processed({ crop: LEFT_HALF, cropSent: { at: LOST, token: 'earlier' } }));
    expect((await cropImage(IDS.newer, LEFT_HALF, caller, deps)).status).toBe('REANALYSING');
    expect([calls.asks, sent]).toEqual([[], []]);
  });

  it('refuses a crop keeping under 16 px a side of the full-size photo: 400', async () => {
    // 0.003 of 4000 px is 12 px.
    const { deps, calls } = cropWorld(processed());
    await expect(cropImage(IDS.newer, { left: 0, top: 0, width: 0.003, height: 1 }, caller, deps)).rejects.toThrow(
      /keeps 12 x 3000 px of a 4000 x 3000 px photo/,
    );
    expect(calls.asks).toEqual([]);
  });

  it('measures the size against the whole photo, not the part a crop kept', async () => {
    // The record is the left half (2000 x 3000); 0.006 of the whole 4000 px is 24 px, enough.
    const half = processed({
      analysis: processedAnalysis({ width: 2000, height: 3000 }),
      crop: LEFT_HALF,
      cropApplied: LEFT_HALF,
    });
    const { deps, calls } = cropWorld(half);
    await cropImage(IDS.newer, { left: 0, top: 0, width: 0.006, height: 1 }, caller, deps);
    expect(calls.asks).toHaveLength(1);
  });

  it('answers 409 when another request changed the record otherwise meanwhile', async () => {
    const { deps } = cropWorld([processed(), processed({ crop: TOP_HALF })], false);
    await expect(cropImage(IDS.newer, LEFT_HALF, caller, deps)).rejects.toThrow(/changed while it was being edited/);
  });

  it('takes the mark off when the message cannot be sent', async () => {
    const { deps, calls } = cropWorld(processed());
    deps.queue = { send: async () => Promise.reject(new Error('the queue is down')) };
    await expect(cropImage(IDS.newer, LEFT_HALF, caller, deps)).rejects.toThrow('the queue is down');
    expect(calls.unmarked).toEqual([{ at: NOW.toISOString(), token: 'this-request' }]);
  });

  it("answers 404 for another owner's image", async () => {
    const { deps } = cropWorld(processed({ owner: 'someone-else' }));
    await expect(cropImage(IDS.newer, LEFT_HALF, caller, deps)).rejects.toThrow(/not found/);
  });
});
