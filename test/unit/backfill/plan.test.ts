import { BackfillRequestError, newRunId, planBackfill } from '../../../lambdas/backfill/plan';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { formatSources } from '../../../lambdas/settings/backfill';

const scope = {
  pipelineBucket: 'pipeline-images',
  sources: parseDeploymentSettings({
    sourceBuckets: 'old-photos,archive/2019/=alice,archive/2020/,shared/team/',
  }).sourceBuckets,
};

const refused = (request: Parameters<typeof planBackfill>[0], within = scope) => {
  try {
    planBackfill(request, within);
  } catch (error) {
    expect(error).toBeInstanceOf(BackfillRequestError);
    return (error as Error).message;
  }
  throw new Error('planBackfill accepted it');
};

describe('planBackfill', () => {
  it('backfills the whole of a source bucket listed without a prefix, under the owner asked for', () => {
    expect(planBackfill({ bucket: 'old-photos', owner: 'bob' }, scope)).toEqual({
      bucket: 'old-photos',
      prefix: '',
      owner: 'bob',
      reprocess: false,
      regroupFaces: false,
      reown: false,
    });
  });

  it('refuses a run that would leave images with no owner, naming the entry and both ways out', () => {
    expect(refused({ bucket: 'old-photos' })).toBe(
      "the images of old-photos/ would have no owner, and no one's search would find them (sourceBuckets " +
        'old-photos names none): give an owner, or deploy the entry as old-photos=<owner>',
    );
    expect(refused({ bucket: 'archive', prefix: '2020/', reown: true })).toMatch(
      /archive\/2020\/ would have no owner.*archive\/2020\/=<owner>/,
    );
  });

  it('with auth=none gives an entry naming no owner the local one, so a run needs none', () => {
    const local = {
      pipelineBucket: 'pipeline-images',
      sources: parseDeploymentSettings({ auth: 'none', sourceBuckets: 'old-photos' }).sourceBuckets,
    };
    expect(planBackfill({ bucket: 'old-photos' }, local)).toMatchObject({ owner: null, reown: false });
    expect(planBackfill({ bucket: 'old-photos', reown: true }, local)).toMatchObject({ reown: true });
    expect(refused({ bucket: 'old-photos', owner: 'bob' }, local)).toMatch(/belong to local/);
  });

  it('gives an asked-for owner where the source names none, and keeps reprocess', () => {
    expect(planBackfill({ bucket: 'old-photos', prefix: 'x/', owner: 'bob', reprocess: true }, scope)).toEqual({
      bucket: 'old-photos',
      prefix: 'x/',
      owner: 'bob',
      reprocess: true,
      regroupFaces: false,
      reown: false,
    });
  });

  it("leaves each image's owner to its key's entry (ownerOf): the run's owner is only the one asked for", () => {
    expect(planBackfill({ bucket: 'archive', prefix: '2019/june/' }, scope).owner).toBeNull();
    expect(planBackfill({ bucket: 'archive', prefix: '2020/', owner: 'carol' }, scope).owner).toBe('carol');
  });

  it('defaults to the one prefix of a source listed once', () => {
    expect(planBackfill({ bucket: 'shared', owner: 'carol' }, scope).prefix).toBe('team/');
  });

  it('refuses a bucket that is not a source, naming the setting that would make it one', () => {
    expect(refused({ bucket: 'elsewhere' })).toMatch(/elsewhere is not a source bucket.*-c sourceBuckets=elsewhere/);
  });

  it('refuses a prefix outside every granted one, naming those', () => {
    expect(refused({ bucket: 'archive', prefix: '2021/' })).toMatch(/only archive\/2019\/, archive\/2020\/.*outside/);
    expect(refused({ bucket: 'shared', prefix: '' })).toMatch(/only shared\/team\//);
  });

  it('asks for a prefix where a bucket is a source under several', () => {
    expect(refused({ bucket: 'archive' })).toMatch(/several prefixes.*give one/);
  });

  it("refuses an owner other than the source's", () => {
    expect(refused({ bucket: 'archive', prefix: '2019/', owner: 'mallory' })).toMatch(/belong to alice/);
    expect(planBackfill({ bucket: 'archive', prefix: '2019/', owner: 'alice' }, scope).owner).toBe('alice');
  });

  it('re-analyses every image when faces are regrouped, whatever reprocess says', () => {
    for (const reprocess of [undefined, false, true]) {
      expect(planBackfill({ bucket: 'pipeline-images', reprocess, regroupFaces: true }, scope)).toEqual({
        bucket: 'pipeline-images',
        prefix: 'uploads/',
        owner: null,
        reprocess: true,
        regroupFaces: true,
        reown: false,
      });
    }
  });

  it('refuses an owner that is no owner id', () => {
    expect(refused({ bucket: 'old-photos', owner: 'a#b' })).toMatch(/not an owner id/);
  });

  it("re-analyses the pipeline's uploads under uploads/ only, keeping their owners", () => {
    expect(planBackfill({ bucket: 'pipeline-images', reprocess: true }, scope)).toEqual({
      bucket: 'pipeline-images',
      prefix: 'uploads/',
      owner: null,
      reprocess: true,
      regroupFaces: false,
      reown: false,
    });
    expect(refused({ bucket: 'pipeline-images', prefix: 'thumbnails/' })).toMatch(/only uploads\/ holds images/);
    expect(refused({ bucket: 'pipeline-images', owner: 'bob' })).toMatch(/keep the owners/);
    expect(refused({ bucket: 'pipeline-images', reown: true })).toMatch(/keep the owners.*give no reown/);
  });
});

describe('planBackfill over nested sources (shared/team/=alice, shared/team/bob/=bob, shared/team/misc/)', () => {
  const nested = {
    pipelineBucket: 'pipeline-images',
    sources: parseDeploymentSettings({
      sourceBuckets: 'shared/team/=alice,shared/team/bob/=bob,shared/team/misc/',
    }).sourceBuckets,
  };
  const plan = (request: Parameters<typeof planBackfill>[0]) => planBackfill(request, nested);
  const refusedHere = (request: Parameters<typeof planBackfill>[0]) => refused(request, nested);

  it('takes a run with no owner where each image gets the owner of its own entry', () => {
    expect(plan({ bucket: 'shared', prefix: 'team/bob/' })).toMatchObject({ owner: null, reown: false });
  });

  it('refuses a run over team/ with no owner: the images under team/misc/ would have none', () => {
    expect(refusedHere({ bucket: 'shared', prefix: 'team/' })).toMatch(/shared\/team\/misc\/ would have no owner/);
  });

  it('refuses an owner that an entry nested under the prefix contradicts, naming that entry', () => {
    expect(refusedHere({ bucket: 'shared', prefix: 'team/', owner: 'alice' })).toMatch(
      /shared\/team\/bob\/ belong to bob \(sourceBuckets shared\/team\/bob\/=bob\), not alice/,
    );
  });

  it('refuses an owner that the entry the prefix falls in contradicts, naming that entry', () => {
    expect(refusedHere({ bucket: 'shared', prefix: 'team/', owner: 'bob' })).toMatch(
      /shared\/team\/ belong to alice \(sourceBuckets shared\/team\/=alice\), not bob/,
    );
    expect(refusedHere({ bucket: 'shared', prefix: 'team/bob/2019/', owner: 'alice' })).toMatch(
      /sourceBuckets shared\/team\/bob\/=bob/,
    );
  });

  it('takes the owner its entries agree with, and one for an entry naming none inside an owned one', () => {
    expect(plan({ bucket: 'shared', prefix: 'team/bob/', owner: 'bob' }).owner).toBe('bob');
    expect(plan({ bucket: 'shared', prefix: 'team/misc/', owner: 'carol' }).owner).toBe('carol');
  });

  it('carries reown into the run, and refuses it where an image could get no owner', () => {
    expect(plan({ bucket: 'shared', prefix: 'team/bob/', reown: true })).toMatchObject({ owner: null, reown: true });
    expect(plan({ bucket: 'shared', prefix: 'team/misc/', owner: 'carol', reown: true }).reown).toBe(true);
    expect(refusedHere({ bucket: 'shared', prefix: 'team/misc/', reown: true })).toMatch(/would have no owner/);
  });
});

describe('formatSources', () => {
  it('writes each entry back as the setting reads it', () => {
    const written = formatSources(scope.sources);
    expect(written).toEqual(['old-photos', 'archive/2019/=alice', 'archive/2020/', 'shared/team/']);
    expect(parseDeploymentSettings({ sourceBuckets: written.join(',') }).sourceBuckets).toEqual(scope.sources);
  });
});

describe('newRunId', () => {
  it('makes distinct ids a Step Functions execution name takes, in the order they were made', () => {
    const ids = Array.from({ length: 50 }, newRunId);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect([...ids].sort()[0]).toBe(ids[0]);
  });
});
