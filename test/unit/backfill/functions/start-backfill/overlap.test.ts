import {
  type StartBackfillDeps,
  startBackfill,
} from '../../../../../lambdas/backfill/functions/start-backfill/start-backfill';
import { ConflictError } from '../../../../../lambdas/shared/errors';
import { BackfillExecutionsFake, StartLeasesFake } from '../../../../support/backfill-executions-fake';

const ADMIN = { owner: 'admin', admin: true };
const scope = { pipelineBucket: 'images', sources: [{ bucket: 'shared', prefix: 'team/', owner: 'team' }] };

/** The use case over the executions in memory, each run named by the next of a sequence of ids. */
function withFake(): { fake: BackfillExecutionsFake; deps: StartBackfillDeps } {
  const fake = new BackfillExecutionsFake();
  let n = 0;
  const leases = new StartLeasesFake();
  return { fake, deps: { executions: fake, counts: fake.counts, leases, scope, newId: () => `01RUN${++n}` } };
}

describe('startBackfill over a run that is not done', () => {
  it('three regroup requests in a row: the first runs, the other two are 409s naming it', async () => {
    const { fake, deps } = withFake();
    const regroup = { bucket: 'images', regroupFaces: true };
    const results: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      results.push(...(await Promise.allSettled([startBackfill(regroup, ADMIN, deps)])));
    }
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { id: '01RUN1', regroupFaces: true } });
    for (const refused of results.slice(1)) {
      expect(refused.status).toBe('rejected');
      const error = (refused as PromiseRejectedResult).reason as Error;
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(
        /^images\/uploads\/ overlaps backfill 01RUN1 over images\/uploads\/, which is running/,
      );
    }
    expect(fake.calls.filter((call) => call.startsWith('start'))).toEqual(['start 01RUN1']);
  });

  it('three regroup requests at once: one runs, the other two are 409s', async () => {
    const { fake, deps } = withFake();
    const regroup = { bucket: 'images', regroupFaces: true };
    const results = await Promise.allSettled([0, 1, 2].map(() => startBackfill(regroup, ADMIN, deps)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const refused of results.filter((result) => result.status === 'rejected')) {
      expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    }
    expect(fake.calls.filter((call) => call.startsWith('start'))).toHaveLength(1);
  });

  it('names the run started last over the bucket even where the lists do not show it yet', async () => {
    const { fake, deps } = withFake();
    await startBackfill({ bucket: 'shared', prefix: 'team/' }, ADMIN, deps);
    // ListExecutions is eventually consistent: the run may be missing from it for a moment.
    fake.list = async () => ({ items: [] });
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/' }, ADMIN, deps)).rejects.toThrow(
      /overlaps backfill 01RUN1 over shared\/team\/, which is running/,
    );
  });

  it('gives the lease back when it refuses, so the next start is checked, not turned away', async () => {
    const { fake, deps } = withFake();
    fake.add('01OTHER', { bucket: 'shared', prefix: 'team/' });
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/' }, ADMIN, deps)).rejects.toThrow(/01OTHER/);
    fake.add('01OTHER', { bucket: 'shared', prefix: 'team/' }, 'SUCCEEDED', 1, 1);
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/' }, ADMIN, deps)).resolves.toMatchObject({
      id: '01RUN2',
    });
  });

  it('refuses while the first run is stopped but its objects are still being processed, then starts once done', async () => {
    const { fake, deps } = withFake();
    fake.add('01EARLIER', { bucket: 'images', prefix: 'uploads/' }, 'SUCCEEDED', 2, 1);
    await expect(startBackfill({ bucket: 'images', regroupFaces: true }, ADMIN, deps)).rejects.toThrow(
      'which is SUCCEEDED, with 1 objects still being processed',
    );
    fake.add('01EARLIER', { bucket: 'images', prefix: 'uploads/' }, 'SUCCEEDED', 2, 2);
    await expect(startBackfill({ bucket: 'images', regroupFaces: true }, ADMIN, deps)).resolves.toMatchObject({
      id: '01RUN2',
    });
  });

  it('starts a run over a disjoint prefix of the same bucket, or another bucket, beside a running one', async () => {
    const { fake, deps } = withFake();
    fake.add('01OTHER', { bucket: 'shared', prefix: 'team/alice/' });
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/bob/' }, ADMIN, deps)).resolves.toMatchObject({
      id: '01RUN1',
    });
    await expect(startBackfill({ bucket: 'images' }, ADMIN, deps)).resolves.toMatchObject({ id: '01RUN2' });
  });

  it('refuses a nested prefix either way: inside the running one, and around it', async () => {
    const { fake, deps } = withFake();
    fake.add('01OTHER', { bucket: 'shared', prefix: 'team/bob/' });
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/' }, ADMIN, deps)).rejects.toThrow(ConflictError);
    await expect(startBackfill({ bucket: 'shared', prefix: 'team/bob/2019/' }, ADMIN, deps)).rejects.toThrow(
      /overlaps backfill 01OTHER over shared\/team\/bob\//,
    );
  });

  it('with force, starts without looking at the runs at all', async () => {
    const { fake, deps } = withFake();
    fake.add('01OTHER', { bucket: 'shared', prefix: 'team/' });
    await expect(startBackfill({ bucket: 'shared', force: true }, ADMIN, deps)).resolves.toMatchObject({
      id: '01RUN1',
    });
    expect(fake.calls).toEqual(['start 01RUN1']);
  });

  it('checks nothing for a request it refuses anyway (not an admin, a bad bucket)', async () => {
    const { fake, deps } = withFake();
    await expect(startBackfill({ bucket: 'images' }, { owner: 'bob', admin: false }, deps)).rejects.toThrow(/admin/);
    await expect(startBackfill({ bucket: 'elsewhere' }, ADMIN, deps)).rejects.toThrow(/not a source bucket/);
    expect(fake.calls).toEqual([]);
  });
});
