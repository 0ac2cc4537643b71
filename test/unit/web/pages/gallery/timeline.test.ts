import { mergeFirstPage } from '../../../../../web/src/pages/gallery/first-page';
import { monthGroups, orderKeyOf, takenInWords, whenOf } from '../../../../../web/src/pages/gallery/timeline';
import type { ImageSummary } from '../../../../../web/src/types';

/** A summary uploaded at `createdAt`, taken at `takenAt` if given. */
const image = (imageId: string, createdAt: string, takenAt?: string): ImageSummary => ({
  imageId,
  status: 'PROCESSED',
  createdAt,
  updatedAt: createdAt,
  ...(takenAt && { takenAt }),
});

describe('the timeline of the gallery', () => {
  it('sorts by the date taken, else the upload time to the second, as the API does', () => {
    expect(whenOf(image('A', '2026-11-26T10:14:21.123Z'))).toBe('2026-11-26T10:14:21');
    expect(whenOf(image('A', '2026-11-26T10:14:21.123Z', '2019-07-14T18:30:00'))).toBe('2019-07-14T18:30:00');
    expect(orderKeyOf('taken')(image('B', '2026-01-01T00:00:00.000Z', '2019-07-14T18:30:00'))).toBe(
      '2019-07-14T18:30:00#B',
    );
    expect(orderKeyOf('uploaded')(image('B', '2026-01-01T00:00:00.000Z', '2019-07-14T18:30:00'))).toBe('B');
  });

  it('keeps a search in its phases when a poll merges its first page: sure matches first, then likely by tenth', () => {
    const cat = { asked: 'q' as const, word: 'cat', field: 'object' as const, value: 'cat' };
    const sure = { ...image('A', '2026-01-01T00:00:00.000Z'), matchedBy: [cat] };
    const likely = (id: string, score: number) => ({
      ...image(id, '2026-01-01T00:00:00.000Z'),
      matchedBy: [{ ...cat, likely: true as const, score }],
    });
    const keyOf = orderKeyOf('search');
    expect(keyOf(likely('C', 0.57))).toBe('5#C');
    expect(keyOf(sure)).toBe('S#A');
    const merged = mergeFirstPage(
      [sure, likely('B', 0.76)],
      [likely('D', 0.57), sure, likely('B', 0.76)],
      false,
      false,
      keyOf,
    );
    expect(merged.map((item) => item.imageId)).toEqual(['A', 'B', 'D']);
  });

  it('groups runs of one month under a header in the given locale, read in UTC (the camera’s clock)', () => {
    const groups = monthGroups(
      [
        image('D', '2026-11-26T10:00:00.000Z'),
        image('C', '2026-01-01T00:00:00.000Z', '2019-07-31T23:30:00'),
        image('B', '2026-01-01T00:00:00.000Z', '2019-07-01T00:00:00'),
        image('A', '2026-01-01T00:00:00.000Z', '2018-12-31T23:59:59'),
      ],
      'en-GB',
    );
    expect(groups.map((group) => [group.month, group.label, group.items.map((item) => item.imageId)])).toEqual([
      ['2026-11', 'November 2026', ['D']],
      ['2019-07', 'July 2019', ['C', 'B']],
      ['2018-12', 'December 2018', ['A']],
    ]);
    expect(monthGroups([image('A', '2026-01-01T00:00:00.000Z', '2019-07-01T00:00:00')], 'de-DE')[0]?.label).toBe(
      'Juli 2019',
    );
  });

  it('says a date taken in words, keeping the camera’s time of day', () => {
    expect(takenInWords('2019-07-14T18:30:00', 'en-GB')).toBe('14 July 2019 at 18:30');
    expect(takenInWords('not a date', 'en-GB')).toBe('not a date');
  });

  it('merges a fresh first page into the timeline by its key, not by upload', () => {
    // Loaded: D (now, undated), B (2019), with more below; a new upload C taken in 2020 sorts between them.
    const current = [
      image('D', '2026-11-26T10:00:00.000Z'),
      image('B', '2026-11-01T00:00:00.000Z', '2019-01-01T00:00:00'),
    ];
    const fresh = [
      current[0] as ImageSummary,
      image('E', '2026-11-26T10:05:00.000Z', '2020-05-05T00:00:00'),
      current[1] as ImageSummary,
    ];
    const merged = mergeFirstPage(current, fresh, true, true, orderKeyOf('taken'));
    expect(merged.map((item) => item.imageId)).toEqual(['D', 'E', 'B']);
    // By id (the upload order), E would have gone first.
    expect(mergeFirstPage(current, fresh, true, true).map((item) => item.imageId)).toEqual(['E', 'D', 'B']);
  });
});
