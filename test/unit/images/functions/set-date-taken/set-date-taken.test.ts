import { DateTakenChangeSchema, splitTakenAt } from '../../../../../lambdas/images/functions/set-date-taken/route';
import { setDateTaken } from '../../../../../lambdas/images/functions/set-date-taken/set-date-taken';
import { postingOf } from '../../../../../lambdas/search/postings';
import { termsOf } from '../../../../../lambdas/search/terms';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { timelineAttributes } from '../../../../../lambdas/store/timeline-key';
import { TEST_USER } from '../../../../support/identities';
import { IDS, imageItem, processedAnalysis } from '../../../../support/items';
import { editWorld } from '../edit-world';

const caller = { owner: TEST_USER.sub, admin: false };
const withExif = (takenAt: string | undefined) => {
  const analysis = processedAnalysis({ width: 4, height: 3 });
  const item: ImageItem = imageItem({
    analysis: { ...analysis, metadata: { ...analysis.metadata, ...(takenAt && { exif: { takenAt } }) } },
  });
  return { ...item, indexedTerms: termsOf(item).terms };
};

describe('the date taken (PUT /images/{id}/taken)', () => {
  it('keeps the EXIF date in the analysis and the owner’s beside it, with its offset, who and when', async () => {
    const item = withExif('2019-07-14T18:30:00');
    const { deps, calls } = editWorld(item);
    const answer = await setDateTaken(IDS.newer, { takenAt: '2021-03-04T05:06:07+02:00' }, caller, deps);
    const takenCorrection = {
      takenAt: '2021-03-04T05:06:07',
      offset: '+02:00',
      at: '2026-11-28T10:00:00.000Z',
      by: TEST_USER.sub,
    };
    expect(answer).toEqual({
      imageId: IDS.newer,
      takenAt: '2021-03-04T05:06:07',
      takenCorrection,
      exifTakenAt: '2019-07-14T18:30:00',
    });
    expect(calls.written[0]?.takenCorrection).toEqual(takenCorrection);
    expect(calls.written[0]?.analysis).toEqual(item.analysis);
  });

  it('moves the image in the timeline and its taken= year in the postings', async () => {
    const { deps, calls } = editWorld(withExif('2019-07-14T18:30:00'));
    await setDateTaken(IDS.newer, { takenAt: '2021-03-04T05:06Z' }, caller, deps);
    const written = calls.written[0] as ImageItem;
    expect(timelineAttributes(written)).toEqual({
      takenKey: `2021-03-04T05:06:00#${IDS.newer}`,
      takenAt: '2021-03-04T05:06:00',
    });
    expect(calls.put[0]).toContain('taken=2021');
    expect(calls.removed[0]).toEqual(['taken=2019']);
    // What takenAfter and takenBefore compare on each posting.
    expect(postingOf(written).takenAt).toBe('2021-03-04T05:06:00');
    expect(calls.events[0]?.detail).toMatchObject({
      changed: ['takenAt'],
      takenAt: '2021-03-04T05:06:00',
      takenOffset: 'Z',
    });
  });

  it('keeps a local time given without an offset as one, with no offset, and says so in its event', async () => {
    const { deps, calls } = editWorld(withExif('2019-07-14T18:30:00'));
    const answer = await setDateTaken(IDS.newer, { takenAt: '2019-07-14T19:45:00' }, caller, deps);
    const takenCorrection = { takenAt: '2019-07-14T19:45:00', at: '2026-11-28T10:00:00.000Z', by: TEST_USER.sub };
    expect(answer.takenCorrection).toEqual(takenCorrection);
    expect(calls.written[0]?.takenCorrection).toEqual(takenCorrection);
    // The timeline sorts by the local time, as it sorts an EXIF date (which has no zone either).
    expect(timelineAttributes(calls.written[0] as ImageItem).takenKey).toBe(`2019-07-14T19:45:00#${IDS.newer}`);
    expect(calls.events[0]?.detail).toMatchObject({ changed: ['takenAt'], takenAt: '2019-07-14T19:45:00' });
    // As sent (JSON): no offset at all, not an empty or made-up one.
    expect(JSON.parse(JSON.stringify(calls.events[0]?.detail))).not.toHaveProperty('takenOffset');
  });

  it('gives a photo without an EXIF date one, where it sorted by its upload', async () => {
    const item = withExif(undefined);
    expect(timelineAttributes(item)).toEqual({ takenKey: `2025-01-02T03:04:05#${IDS.newer}` });
    const { deps, calls } = editWorld(item);
    const answer = await setDateTaken(IDS.newer, { takenAt: '1999-12-31T23:59:59-05:00' }, caller, deps);
    expect(answer.exifTakenAt).toBeUndefined();
    expect(calls.put[0]).toContain('taken=1999');
  });

  it('is a 409 until the image is PROCESSED', async () => {
    const { deps } = editWorld(imageItem({ status: 'REJECTED' }));
    await expect(setDateTaken(IDS.newer, { takenAt: '2021-03-04T05:06Z' }, caller, deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });
});

describe('the date taken body', () => {
  it('splits a date-time with its offset into the local time and the offset', () => {
    expect(splitTakenAt('2024-07-14T18:30:00+02:00')).toEqual({ takenAt: '2024-07-14T18:30:00', offset: '+02:00' });
    expect(splitTakenAt('2024-07-14T18:30Z')).toEqual({ takenAt: '2024-07-14T18:30:00', offset: 'Z' });
  });

  it('takes a local time without an offset, as a camera records one', () => {
    expect(DateTakenChangeSchema.safeParse({ takenAt: '2024-07-14T18:30:00' }).success).toBe(true);
    expect(splitTakenAt('2024-07-14T18:30:00')).toEqual({ takenAt: '2024-07-14T18:30:00' });
    expect(splitTakenAt('2024-07-14T18:30')).toEqual({ takenAt: '2024-07-14T18:30:00' });
  });

  it.each([
    ['a day that does not exist, without an offset', '2024-02-30T10:00:00'],
    ['a date alone', '2024-07-14'],
    ['a day that does not exist', '2024-02-30T10:00:00Z'],
    ['an hour past 23', '2024-07-14T24:00:00Z'],
    ['an offset past 14 hours', '2024-07-14T10:00:00+15:00'],
    ['a year before 1800', '1700-01-01T00:00:00Z'],
    ['fractions of a second', '2024-07-14T18:30:00.5Z'],
  ])('refuses %s', (_why, takenAt) => {
    expect(DateTakenChangeSchema.safeParse({ takenAt }).success).toBe(false);
  });

  it('says what it takes', () => {
    const parsed = DateTakenChangeSchema.safeParse({ takenAt: 'yesterday' });
    expect(parsed.error?.issues[0]?.message).toMatch(
      /^must be a date and time, with its offset from UTC as 2024-07-14T18:30:00\+02:00 .* or without one as 2024-07-14T18:30:00/,
    );
  });
});
