import { clearDateTaken } from '../../../../../lambdas/images/functions/clear-date-taken/clear-date-taken';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { timelineAttributes } from '../../../../../lambdas/store/timeline-key';
import { TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { editWorld } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const corrected = { takenAt: '2021-03-04T05:06:07', offset: '+02:00', at: '2026-11-27T10:00:00.000Z' };
/** A PROCESSED image with this EXIF date (or none) and this owner's date (or none), indexed as the store has it. */
const dated = (exif: string | undefined, takenCorrection?: ImageItem['takenCorrection'], status = 'PROCESSED') => {
  const analysis = processedAnalysis({ width: 4, height: 3 });
  const item: ImageItem = imageItem({
    status: status as ImageItem['status'],
    analysis: { ...analysis, metadata: { ...analysis.metadata, ...(exif && { exif: { takenAt: exif } }) } },
    ...(takenCorrection && { takenCorrection }),
  });
  return { ...item, indexedTerms: termsOf(item).terms };
};

describe("the owner's date taken dropped (DELETE /images/{id}/taken)", () => {
  it('puts the photo back at its EXIF date in the timeline and the taken= year, and announces Image Updated', async () => {
    const { deps, calls } = editWorld(dated('2019-07-14T18:30:00', corrected));
    expect(await clearDateTaken(IDS.newer, caller, deps)).toEqual({
      imageId: IDS.newer,
      takenAt: '2019-07-14T18:30:00',
    });
    const written = calls.written[0] as ImageItem;
    expect(written.takenCorrection).toBeUndefined();
    expect(timelineAttributes(written)).toEqual({
      takenKey: `2019-07-14T18:30:00#${IDS.newer}`,
      takenAt: '2019-07-14T18:30:00',
    });
    expect(calls.put[0]).toContain('taken=2019');
    expect(calls.removed[0]).toEqual(['taken=2021']);
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['takenAt'], takenAt: '2019-07-14T18:30:00' });
    expect(calls.events[0]?.detail).toMatchObject({ takenOffset: undefined });
  });

  it('puts a photo without an EXIF date back at its upload, with no date taken', async () => {
    const { deps, calls } = editWorld(dated(undefined, corrected));
    expect(await clearDateTaken(IDS.newer, caller, deps)).toEqual({ imageId: IDS.newer });
    expect(timelineAttributes(calls.written[0] as ImageItem)).toEqual({ takenKey: `2025-01-02T03:04:05#${IDS.newer}` });
    expect(calls.removed[0]).toEqual(['taken=2021']);
  });

  it('writes and publishes nothing when the owner gave no date, and answers the one the photo has', async () => {
    const { deps, calls } = editWorld(dated('2019-07-14T18:30:00'));
    expect(await clearDateTaken(IDS.newer, caller, deps)).toEqual({
      imageId: IDS.newer,
      takenAt: '2019-07-14T18:30:00',
    });
    expect(calls.written).toEqual([]);
    expect(calls.events).toEqual([]);
  });

  it("is a 404 for no such image and for another owner's", async () => {
    await expect(clearDateTaken(IDS.newer, caller, editWorld(undefined).deps)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    const theirs = editWorld({ ...dated('2019-07-14T18:30:00', corrected), owner: 'someone-else' });
    await expect(clearDateTaken(IDS.newer, caller, theirs.deps)).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(theirs.calls.written).toEqual([]);
  });

  it('is a 409 until the image is PROCESSED, and when it changed while it was being edited', async () => {
    const pending = editWorld(dated(undefined, corrected, 'REJECTED'));
    await expect(clearDateTaken(IDS.newer, caller, pending.deps)).rejects.toMatchObject({ name: 'ConflictError' });
    const raced = editWorld(dated('2019-07-14T18:30:00', corrected), false);
    await expect(clearDateTaken(IDS.newer, caller, raced.deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/try again/),
    });
    expect(raced.calls.events).toEqual([]);
  });
});
