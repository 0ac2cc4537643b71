import { progressText, sourceText } from '../../../../../web/src/pages/backfills/progress';
import type { BackfillRun } from '../../../../../web/src/types';

/** A run as GET /backfills/{id} answers it, every count 0 unless given. */
function run(fields: Partial<BackfillRun>): BackfillRun {
  return {
    id: '01JD5Y0000000000000000000A',
    status: 'SUCCEEDED',
    startedAt: '2026-11-23T10:00:00.000Z',
    bucket: 'images',
    prefix: 'uploads/',
    owner: null,
    reprocess: false,
    regroupFaces: false,
    reown: false,
    listed: 0,
    queued: 0,
    processed: 0,
    rejected: 0,
    skipped: 0,
    placeholders: 0,
    missing: 0,
    failed: 0,
    inFlight: 0,
    done: false,
    ...fields,
  } as BackfillRun;
}

describe('a backfill run in words', () => {
  it('says a SUCCEEDED run whose images are still with the processor is processing, not done', () => {
    expect(progressText(run({ listed: 9, queued: 9, processed: 0, inFlight: 9 }))).toBe(
      'Listed 9 · processed 0 of 9 · 9 processing',
    );
    expect(progressText(run({ listed: 9, queued: 9, processed: 3, inFlight: 6 }))).toBe(
      'Listed 9 · processed 3 of 9 · 6 processing',
    );
  });

  it('names every other outcome there is, the queued count when it differs, and done once done', () => {
    expect(
      progressText(run({ listed: 10, queued: 9, processed: 7, rejected: 1, failed: 1, inFlight: 0, done: true })),
    ).toBe('Listed 10 · queued 9 · processed 7 of 10 · 1 rejected · 1 failed · done');
  });

  it('says a run still listing, or one whose listing stopped, as such', () => {
    expect(progressText(run({ status: 'RUNNING', listed: 4, queued: 4, processed: 1, inFlight: 3 }))).toBe(
      'Listed 4 · processed 1 of 4 · listing, 3 processing',
    );
    expect(progressText(run({ status: 'FAILED', listed: 4, queued: 2, processed: 2 }))).toBe(
      'Listed 4 · queued 2 · processed 2 of 4 · listing failed',
    );
  });

  it('writes a source as bucket/prefix, a whole bucket as such, with its owner', () => {
    expect(sourceText({ bucket: 'images', prefix: 'uploads/' })).toBe('images/uploads/');
    expect(sourceText({ bucket: 'old-photos', prefix: '' })).toBe('old-photos (whole bucket)');
    expect(sourceText({ bucket: 'archive', prefix: 'scans/', owner: 'alice' })).toBe('archive/scans/ (owner alice)');
  });
});
