import { parseDeploymentSettings } from '../../../lambdas/settings';
import { parseSourceBucket } from '../../../lambdas/settings/backfill';
import { LOCAL_OWNER, OwnerSchema } from '../../../lambdas/store/owner';

describe('the backfill settings', () => {
  it('default to 100 batches at once, 5 % tolerated and no source bucket', () => {
    expect(parseDeploymentSettings({})).toMatchObject({
      backfillMaxConcurrency: 100,
      backfillToleratedFailurePercentage: 5,
      sourceBuckets: [],
    });
  });

  it('read -c text as cdk.json values', () => {
    expect(
      parseDeploymentSettings({
        backfillMaxConcurrency: '250',
        backfillToleratedFailurePercentage: '0.5',
        sourceBuckets: 'old-photos, archive.example/2019/=studio',
      }),
    ).toMatchObject({
      backfillMaxConcurrency: 250,
      backfillToleratedFailurePercentage: 0.5,
      sourceBuckets: [
        { bucket: 'old-photos', prefix: '' },
        { bucket: 'archive.example', prefix: '2019/', owner: 'studio' },
      ],
    });
  });

  it.each([
    [{ backfillMaxConcurrency: 0 }, 'backfillMaxConcurrency'],
    [{ backfillMaxConcurrency: 10_001 }, 'backfillMaxConcurrency'],
    [{ backfillToleratedFailurePercentage: 101 }, 'backfillToleratedFailurePercentage'],
    [{ sourceBuckets: ['photos/x', 'photos/x=studio'] }, 'sourceBuckets: photos/x is listed twice'],
    [{ sourceBuckets: Array.from({ length: 11 }, (_, i) => `bucket-${i}`) }, 'at most 10 source buckets'],
    [{ sourceBuckets: ['Photos'] }, 'sourceBuckets.0: "Photos" is not an S3 bucket name'],
  ])('refuses %o, naming %s', (input, message) => {
    expect(() => parseDeploymentSettings(input)).toThrow(message);
  });
});

describe('the owner of an entry that names none', () => {
  it("is the local owner with auth=none, where every image is the one caller's", () => {
    expect(parseDeploymentSettings({ auth: 'none', sourceBuckets: 'old-photos,archive/2019/=studio' })).toMatchObject({
      sourceBuckets: [
        { bucket: 'old-photos', prefix: '', owner: LOCAL_OWNER },
        { bucket: 'archive', prefix: '2019/', owner: 'studio' },
      ],
    });
  });

  it('is left to each backfill run with users (the run must name one: backfill/plan.ts)', () => {
    for (const auth of ['cognito', 'apikey']) {
      expect(parseDeploymentSettings({ auth, sourceBuckets: 'old-photos' }).sourceBuckets).toEqual([
        { bucket: 'old-photos', prefix: '' },
      ]);
    }
  });

  it('must be written with users when the bucket is watched, the message naming the entry and what to add', () => {
    expect(() =>
      parseDeploymentSettings({ sourceBuckets: 'old-photos/2019/,archive=studio', watchSourceBuckets: 'true' }),
    ).toThrow(
      'invalid deployment settings: sourceBuckets entry old-photos/2019/ names no owner, and with watchSourceBuckets ' +
        'its new objects come in with no backfill to name one, so no one could search them: write it ' +
        'old-photos/2019/=<owner>',
    );
    expect(
      parseDeploymentSettings({ auth: 'none', sourceBuckets: 'old-photos/2019/', watchSourceBuckets: 'true' })
        .sourceBuckets,
    ).toEqual([{ bucket: 'old-photos', prefix: '2019/', owner: 'local' }]);
  });
});

describe('parseSourceBucket', () => {
  it('reads a bucket, a prefix and an owner, each but the bucket optional', () => {
    expect(parseSourceBucket('photos')).toEqual({ bucket: 'photos', prefix: '' });
    expect(parseSourceBucket('photos/')).toEqual({ bucket: 'photos', prefix: '' });
    expect(parseSourceBucket('photos/2019/summer')).toEqual({ bucket: 'photos', prefix: '2019/summer' });
    expect(parseSourceBucket('photos=a1b2c3d4-0000-4000-8000-000000000000')).toEqual({
      bucket: 'photos',
      prefix: '',
      owner: 'a1b2c3d4-0000-4000-8000-000000000000',
    });
    expect(parseSourceBucket('photos/a b/ünï/=batch-jobs')).toEqual({
      bucket: 'photos',
      prefix: 'a b/ünï/',
      owner: 'batch-jobs',
    });
  });

  it.each([
    'ab',
    'a'.repeat(64),
    'My-Photos',
    '-photos',
    'photos-',
    'my..photos',
    '192.168.1.2',
    'xn--photos',
    'photos-s3alias',
    'photos--x-s3',
    'pho_tos',
    '',
  ])('refuses the bucket name %p', (bucket) => {
    expect(parseSourceBucket(bucket)).toMatch(/is not an S3 bucket name/);
  });

  it.each(['a*', 'a?b', '$' + '{aws:username}/', 'a,b', 'tab\there'])(
    'refuses the prefix %p, which would widen the policy it becomes',
    (prefix) => {
      expect(parseSourceBucket(`photos/${prefix}`)).toMatch(/cannot|not bucket/);
    },
  );

  it('refuses a prefix over 128 characters, which would crowd the roles’ policies', () => {
    expect(parseSourceBucket(`photos/${'p'.repeat(129)}`)).toBe('the prefix of photos is over 128 characters');
    expect(parseSourceBucket(`photos/${'p'.repeat(128)}`)).toMatchObject({ prefix: 'p'.repeat(128) });
  });

  it('refuses an owner that is no owner id, and says a prefix cannot hold "="', () => {
    expect(parseSourceBucket('photos=has space')).toMatch(/"has space", the owner of photos, is not an owner id/);
    expect(parseSourceBucket('photos/year=2019/')).toMatch(/a prefix cannot hold "="/);
  });

  it('takes exactly the owners the store takes', () => {
    const owners = [
      'local',
      'studio',
      'a1b2c3d4-0000-4000-8000-000000000000',
      'user@example.com',
      'x:y.z_w',
      'a'.repeat(128),
      'a'.repeat(129),
      '-lead',
      '_lead',
      'has#hash',
      'has space',
      'ünï',
      '',
    ];
    for (const owner of owners) {
      const store = OwnerSchema.safeParse(owner).success;
      const settings = typeof parseSourceBucket(`photos=${owner}`) !== 'string';
      expect({ owner, settings }).toEqual({ owner, settings: store });
    }
  });
});
