import { findOverlappingRun, OVERLAP_CHECKED_RUNS, overlapMessage, overlaps } from '../../../lambdas/backfill/overlap';
import { TooManyRequestsError } from '../../../lambdas/shared/errors';
import { BackfillExecutionsFake } from '../../support/backfill-executions-fake';

describe('overlaps', () => {
  it.each([
    ['a prefix inside the other', { bucket: 'shared', prefix: 'team/' }, { bucket: 'shared', prefix: 'team/bob/' }],
    ['the other inside it', { bucket: 'shared', prefix: 'team/bob/' }, { bucket: 'shared', prefix: 'team/' }],
    ['the same prefix', { bucket: 'shared', prefix: 'team/' }, { bucket: 'shared', prefix: 'team/' }],
    ['the whole bucket', { bucket: 'shared', prefix: '' }, { bucket: 'shared', prefix: 'team/' }],
    [
      'a prefix that is not a folder (S3 lists team2/ under team)',
      { bucket: 's', prefix: 'team' },
      { bucket: 's', prefix: 'team2/' },
    ],
  ])('holds for %s', (_what, a, b) => {
    expect(overlaps(a, b)).toBe(true);
  });

  it.each([
    ['different buckets, same prefix', { bucket: 'shared', prefix: 'team/' }, { bucket: 'other', prefix: 'team/' }],
    ['different buckets, whole buckets', { bucket: 'shared', prefix: '' }, { bucket: 'other', prefix: '' }],
    [
      'disjoint prefixes in one bucket',
      { bucket: 'shared', prefix: 'team/alice/' },
      { bucket: 'shared', prefix: 'team/bob/' },
    ],
  ])('does not hold for %s', (_what, a, b) => {
    expect(overlaps(a, b)).toBe(false);
  });
});

describe('findOverlappingRun', () => {
  const wanted = { bucket: 'shared', prefix: 'team/' };

  it('finds a RUNNING run over a prefix inside the one asked for, or around it', async () => {
    const inside = new BackfillExecutionsFake();
    inside.add('01A', { bucket: 'shared', prefix: 'team/bob/' });
    await expect(findOverlappingRun(wanted, { executions: inside, counts: inside.counts })).resolves.toMatchObject({
      id: '01A',
      status: 'RUNNING',
      prefix: 'team/bob/',
    });
    const around = new BackfillExecutionsFake();
    around.add('01B', { bucket: 'shared', prefix: '' });
    await expect(findOverlappingRun(wanted, { executions: around, counts: around.counts })).resolves.toMatchObject({
      id: '01B',
    });
  });

  it('lets a run of another bucket, or of a disjoint prefix, be', async () => {
    const fake = new BackfillExecutionsFake();
    fake.add('01A', { bucket: 'other', prefix: 'team/' });
    fake.add('01B', { bucket: 'shared', prefix: 'teams-old/' });
    fake.add('01C', { bucket: 'shared', prefix: 'archive/' });
    await expect(findOverlappingRun(wanted, { executions: fake, counts: fake.counts })).resolves.toBeUndefined();
  });

  it('counts a stopped run whose objects are still with the processor, and not one that is done', async () => {
    const fake = new BackfillExecutionsFake();
    fake.add('01A', { bucket: 'shared', prefix: 'team/' }, 'SUCCEEDED', 10, 10);
    await expect(findOverlappingRun(wanted, { executions: fake, counts: fake.counts })).resolves.toBeUndefined();
    fake.add('01B', { bucket: 'shared', prefix: 'team/' }, 'SUCCEEDED', 10, 7);
    await expect(findOverlappingRun(wanted, { executions: fake, counts: fake.counts })).resolves.toMatchObject({
      id: '01B',
      status: 'SUCCEEDED',
      inFlight: 3,
    });
  });

  it('reads the counters of no run that cannot overlap', async () => {
    const fake = new BackfillExecutionsFake();
    fake.add('01A', { bucket: 'other', prefix: 'team/' }, 'SUCCEEDED', 10, 7);
    const counts = jest.fn(fake.counts);
    await findOverlappingRun(wanted, { executions: fake, counts });
    expect(counts).not.toHaveBeenCalled();
  });

  it('skips a run started by hand whose input names no bucket and prefix', async () => {
    const fake = new BackfillExecutionsFake();
    fake.add('01A', { bucket: 'shared' });
    await expect(findOverlappingRun(wanted, { executions: fake, counts: fake.counts })).resolves.toBeUndefined();
  });

  it('answers the newest of several overlapping runs', async () => {
    const fake = new BackfillExecutionsFake();
    for (const id of ['01A', '01C', '01B']) fake.add(id, { bucket: 'shared', prefix: 'team/' });
    await expect(findOverlappingRun(wanted, { executions: fake, counts: fake.counts })).resolves.toMatchObject({
      id: '01C',
    });
  });

  it(`refuses with a 429 when more than ${OVERLAP_CHECKED_RUNS} runs are running, rather than check some`, async () => {
    const fake = new BackfillExecutionsFake();
    for (let i = 0; i <= OVERLAP_CHECKED_RUNS; i++)
      fake.add(`run-${String(i).padStart(3, '0')}`, { bucket: 'x', prefix: '' });
    const checked = findOverlappingRun(wanted, { executions: fake, counts: fake.counts });
    await expect(checked).rejects.toThrow(TooManyRequestsError);
    await expect(checked).rejects.toThrow(`more than ${OVERLAP_CHECKED_RUNS} backfills are running`);
  });

  it('describes each run once, however many of its lists it is on', async () => {
    const fake = new BackfillExecutionsFake();
    fake.add('01A', { bucket: 'other', prefix: '' });
    fake.add('01B', { bucket: 'other', prefix: '' }, 'FAILED');
    await findOverlappingRun(wanted, { executions: fake, counts: fake.counts });
    expect(fake.calls.filter((call) => call.startsWith('describe')).sort()).toEqual(['describe 01A', 'describe 01B']);
  });
});

describe('overlapMessage', () => {
  it('names the run, what it covers, why it is not done and how to go on', () => {
    const how = { follow: 'GET /backfills/01A', force: '"force": true' };
    expect(
      overlapMessage(
        { bucket: 'shared', prefix: 'team/' },
        { id: '01A', status: 'SUCCEEDED', bucket: 'shared', prefix: '', inFlight: 4 },
        how,
      ),
    ).toBe(
      'shared/team/ overlaps backfill 01A over shared/, which is SUCCEEDED, with 4 objects still being processed: ' +
        'wait until it is done (GET /backfills/01A), or give "force": true to start this one anyway',
    );
  });
});
