import { entriesUnder, ownerOf, sourceOf } from '../../../lambdas/backfill/owners';
import { parseDeploymentSettings } from '../../../lambdas/settings';

const sourcesOf = (setting: string) => parseDeploymentSettings({ sourceBuckets: setting }).sourceBuckets;

describe('sourceOf', () => {
  it("finds a key's entry by the longest prefix of its bucket's entries", () => {
    const sources = sourcesOf('bbb/=x,bbb/a/=y,bbb/a/b/=z,ccc');
    expect(sourceOf(sources, 'bbb', 'a/b/c.jpg')?.owner).toBe('z');
    expect(sourceOf(sources, 'bbb', 'a/c.jpg')?.owner).toBe('y');
    expect(sourceOf(sources, 'bbb', 'c.jpg')?.owner).toBe('x');
    expect(sourceOf(sources, 'ccc', 'any.jpg')).toEqual({ bucket: 'ccc', prefix: '' });
    expect(sourceOf(sources, 'ddd', 'any.jpg')).toBeUndefined();
  });
});

describe('ownerOf', () => {
  const nested = sourcesOf('shared/team/=alice,shared/team/bob/=bob,shared/team/misc/,old-photos');

  it("gives a key its most specific entry's owner, whatever owner the run asked for", () => {
    for (const requested of [undefined, null, 'alice', 'mallory']) {
      expect(ownerOf(nested, 'shared', 'team/bob/private.jpg', requested)).toBe('bob');
      expect(ownerOf(nested, 'shared', 'team/bob/2019/deep.jpg', requested)).toBe('bob');
      expect(ownerOf(nested, 'shared', 'team/a.jpg', requested)).toBe('alice');
    }
  });

  it('gives the owner asked for only where the entry names none, and none where none was asked', () => {
    expect(ownerOf(nested, 'shared', 'team/misc/x.jpg', 'carol')).toBe('carol');
    expect(ownerOf(nested, 'shared', 'team/misc/x.jpg', null)).toBeUndefined();
    expect(ownerOf(nested, 'old-photos', 'x.jpg', 'dave')).toBe('dave');
    expect(ownerOf(nested, 'old-photos', 'x.jpg')).toBeUndefined();
  });

  it("gives a key no entry covers (the pipeline's uploads) the owner asked for, or none", () => {
    expect(ownerOf(nested, 'pipeline-images', 'uploads/01J.jpg', null)).toBeUndefined();
    expect(ownerOf([], 'photos', 'a.jpg', 'alice')).toBe('alice');
    // A key beside an entry's prefix, not under it, is not that entry's.
    expect(ownerOf(nested, 'shared', 'team/bobby.jpg')).toBe('alice');
  });
});

describe('entriesUnder', () => {
  const sources = sourcesOf(
    'shared/team/=alice,shared/team/bob/=bob,shared/team/bob/x/,shared/other/=carol,second/team/',
  );

  it('reaches the entry the prefix falls in and every one nested under it, most general first', () => {
    const prefixes = (prefix: string) => entriesUnder(sources, 'shared', prefix).map((entry) => entry.prefix);
    expect(prefixes('team/')).toEqual(['team/', 'team/bob/', 'team/bob/x/']);
    expect(prefixes('team/bob/')).toEqual(['team/bob/', 'team/bob/x/']);
    expect(prefixes('team/b')).toEqual(['team/', 'team/bob/', 'team/bob/x/']);
    expect(prefixes('team/bob/y/')).toEqual(['team/bob/']);
    expect(prefixes('')).toEqual(['team/', 'other/', 'team/bob/', 'team/bob/x/']);
  });
});
