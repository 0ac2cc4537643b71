import { ApiError } from '../../../../../web/src/errors';
import { BULK_PARALLEL, type BulkRun, runBulk, runInWords } from '../../../../../web/src/pages/gallery/bulk-run';

const targets = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ imageId: `id-${index}`, name: `photo-${index}.jpg` }));
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('a bulk action of the gallery', () => {
  it(`sends one request per image, at most ${BULK_PARALLEL} at a time, and reports after each answer`, async () => {
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    const reports: BulkRun[] = [];
    const run = await runBulk(
      'delete',
      [],
      targets(10),
      async (id) => {
        sent.push(id);
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
      },
      (report) => reports.push(report),
    );
    expect(sent.sort()).toEqual(
      targets(10)
        .map((target) => target.imageId)
        .sort(),
    );
    expect(most).toBe(BULK_PARALLEL);
    expect(reports.map((report) => report.settled)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(reports.at(-1)?.running).toBe(false);
    expect(run.done).toHaveLength(10);
    expect(runInWords(run)).toBe('Moved 10 of 10 images to the trash.');
  });

  it('keeps each answer: done, gone (404, not a failure) or failed with the API message', async () => {
    const run = await runBulk(
      'label',
      ['Sunset'],
      targets(3),
      async (id) => {
        if (id === 'id-1') throw new ApiError(404, 'image id-1 not found');
        if (id === 'id-2') throw new ApiError(409, 'image id-2 is PENDING');
      },
      () => {},
    );
    expect(run.done.map((target) => target.name)).toEqual(['photo-0.jpg']);
    expect(run.gone.map((target) => target.name)).toEqual(['photo-1.jpg']);
    expect(run.failed).toEqual([{ imageId: 'id-2', name: 'photo-2.jpg', message: 'image id-2 is PENDING' }]);
    expect(runInWords(run)).toBe(
      'Added “Sunset” to 1 of 3 images. 1 image is no longer there (the API answered 404): nothing to do. 1 failed: see below.',
    );
  });

  it('stops sending once the API refuses the request itself (400): it would refuse it for every image', async () => {
    const sent: string[] = [];
    const run = await runBulk(
      'label',
      ['x'],
      targets(12),
      async (id) => {
        sent.push(id);
        await tick();
        throw new ApiError(400, 'add[0]: must be a label');
      },
      () => {},
    );
    expect(sent).toHaveLength(BULK_PARALLEL);
    expect(run.refused).toBe('add[0]: must be a label');
    expect(run.notSent).toBe(12 - BULK_PARALLEL);
    expect(runInWords(run)).toBe(
      `Added “x” to 0 of 12 images. The API refused the request (add[0]: must be a label); ${12 - BULK_PARALLEL} not sent.`,
    );
  });

  it('says an unarchive run in words, while it runs and after: those unarchived are back in the gallery', async () => {
    const reports: BulkRun[] = [];
    const run = await runBulk(
      'unarchive',
      [],
      targets(2),
      async (id) => {
        if (id === 'id-1') throw new ApiError(404, 'image id-1 not found');
      },
      (report) => reports.push(report),
    );
    expect(runInWords(reports[0] as BulkRun)).toBe('Unarchiving 2 images: 0 of 2 answered.');
    expect(runInWords(run)).toBe(
      'Unarchived 1 of 2 images: back in the gallery. 1 image is no longer there (the API answered 404): nothing to do.',
    );
  });

  it('says a lock in words: moving, then how many went into the locked folder', async () => {
    const reports: string[] = [];
    const run = await runBulk(
      'lock',
      [],
      targets(2),
      async (id) => {
        if (id === 'id-1') throw new ApiError(409, 'image id-1 is PENDING');
      },
      (report) => reports.push(runInWords(report)),
    );
    expect(reports[0]).toBe('Locking 2 images: 0 of 2 answered.');
    expect(runInWords(run)).toBe('Moved 1 of 2 images to the locked folder. 1 failed: see below.');
  });
});
