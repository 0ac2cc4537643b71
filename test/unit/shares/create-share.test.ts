import { listShares } from '../../../lambdas/albums/functions/list-shares/list-shares';
import { revokeShare } from '../../../lambdas/albums/functions/revoke-share/revoke-share';
import { shareUrlOf } from '../../../lambdas/albums/functions/share-contract';
import { type CreateShareDeps, shareAlbum, shareImage } from '../../../lambdas/shares/create-share';
import { ShareDetailSchema } from '../../../lambdas/shares/events';
import { tokenHash, verifyPassword } from '../../../lambdas/shares/secrets';
import type { Caller } from '../../../lambdas/store/owner';
import { OTHER_USER, TEST_USER } from '../../support/api-events';
import { refusal } from '../../support/errors';
import { IDS, imageItem } from '../../support/items';
import { MemoryShares, Published } from './fakes';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const alice: Caller = { owner: TEST_USER.sub, admin: false };
const bob: Caller = { owner: OTHER_USER.sub, admin: false };
const ALBUM = 'al_0123456789abcdef0123';
/** A photo its owner moved into the locked folder (issue 80), as its record reads. */
const LOCKED = '01JABCDEFGHJKMNPQRSTVWXYZB';

function setup() {
  const shares = new MemoryShares();
  const events = new Published();
  const deps = {
    shares,
    events,
    urlOf: shareUrlOf('https://app.example', 'https://api.example/prod'),
    now: () => NOW,
    images: {
      get: async (id: string) =>
        id === IDS.newer
          ? imageItem()
          : id === IDS.older
            ? imageItem({ imageId: id, status: 'TRASHED' })
            : id === LOCKED
              ? imageItem({ imageId: id, locked: true })
              : undefined,
    },
    albums: { get: async (id: string) => (id === ALBUM ? { owner: TEST_USER.sub, name: 'Summer' } : undefined) },
  } satisfies CreateShareDeps & Parameters<typeof shareImage>[3] & Parameters<typeof shareAlbum>[3];
  return { shares, events, deps };
}

async function status(call: Promise<unknown>): Promise<number> {
  return (await refusal(call)).statusCode;
}

describe('making a link', () => {
  it("answers the token, the web app's URL and the link; keeps the password hashed; publishes no token", async () => {
    const { shares, events, deps } = setup();
    const request = { expiresAt: '2026-12-05T08:00:00+00:00', password: 'open sesame', allowDownload: true };
    const created = await shareImage(IDS.newer, request, alice, deps);
    expect(created.url).toBe(`https://app.example/app/shared#${created.token}`);
    expect(created.share).toEqual({
      shareId: tokenHash(created.token).slice(0, 16),
      kind: 'image',
      imageId: IDS.newer,
      title: 'Photo',
      createdAt: NOW.toISOString(),
      expiresAt: '2026-12-05T08:00:00.000Z',
      protected: true,
      allowDownload: true,
      views: 0,
      state: 'active',
    });
    const stored = shares.links.get(tokenHash(created.token));
    expect(stored?.passwordHash).not.toContain('open sesame');
    expect(await verifyPassword('open sesame', stored?.passwordHash ?? '')).toBe(true);
    expect(events.events).toHaveLength(1);
    const [event] = events.events;
    expect(event?.detailType).toBe('Share Created');
    expect(ShareDetailSchema.strict().parse(event?.detail)).toMatchObject({
      shareId: tokenHash(created.token).slice(0, 16),
      owner: TEST_USER.sub,
      kind: 'image',
      imageId: IDS.newer,
      protected: true,
    });
    expect(JSON.stringify(event)).not.toContain(created.token);
  });

  it('answers the token and URL this once: the link kept and the link answered hold neither', async () => {
    const { shares, deps } = setup();
    const created = await shareAlbum(ALBUM, {}, alice, deps);
    const stored = shares.links.get(tokenHash(created.token));
    expect(stored).toBeDefined();
    expect(stored).not.toHaveProperty('token');
    expect(JSON.stringify(stored)).not.toContain(created.token);
    expect(created.share).not.toHaveProperty('token');
    expect(created.share).not.toHaveProperty('url');
    expect(JSON.stringify(created.share)).not.toContain(created.token);
  });

  it("names an album's link after the album", async () => {
    const { deps } = setup();
    const created = await shareAlbum(ALBUM, {}, alice, deps);
    expect(created.share).toMatchObject({ kind: 'album', albumId: ALBUM, title: 'Summer', protected: false });
  });

  it("is a 404 for another owner's album or image (an admin's too), one in the trash, or none", async () => {
    const { deps, shares } = setup();
    expect(await status(shareImage(IDS.newer, {}, bob, deps))).toBe(404);
    expect(await status(shareImage(IDS.newer, {}, { owner: OTHER_USER.sub, admin: true }, deps))).toBe(404);
    expect(await status(shareAlbum(ALBUM, {}, bob, deps))).toBe(404);
    expect(await status(shareImage(IDS.older, {}, alice, deps))).toBe(404);
    expect(await status(shareImage(IDS.unknown, {}, alice, deps))).toBe(404);
    expect(shares.links.size).toBe(0);
  });

  it('is a 404 for a photo in the locked folder, as its GET without an unlock token, and no link is made', async () => {
    const { deps, shares, events } = setup();
    const refused = await refusal(shareImage(LOCKED, {}, alice, deps));
    expect([refused.statusCode, refused.message]).toEqual([404, `image ${LOCKED} not found`]);
    expect([shares.links.size, events.events.length]).toEqual([0, 0]);
  });

  it.each([
    ['in the past', '2026-11-28T07:59:59Z', /in the future/],
    ['now', '2026-11-28T08:00:00Z', /in the future/],
    ['more than a year away', '2027-11-29T08:00:00Z', /at most 365 days/],
  ])('refuses an expiry %s (400)', async (_when, expiresAt) => {
    const { deps } = setup();
    expect(await status(shareImage(IDS.newer, { expiresAt }, alice, deps))).toBe(400);
  });
});

describe('listing and revoking links', () => {
  it('revokes at once, once: a second revoke publishes nothing; the list says revoked', async () => {
    const { deps, events, shares } = setup();
    const { token } = await shareImage(IDS.newer, {}, alice, deps);
    await revokeShare(token, alice, deps);
    await revokeShare(token, alice, deps);
    expect(events.events.map((event) => event.detailType)).toEqual(['Share Created', 'Share Revoked']);
    expect(shares.links.get(tokenHash(token))?.revokedAt).toBe(NOW.toISOString());
    const listed = await listShares(
      alice,
      { limit: 10 },
      {
        shares: { listOf: async () => ({ items: [...shares.links.values()].map((link) => ({ ...link, views: 3 })) }) },
        photos: async () => new Map(),
        now: () => NOW,
      },
    );
    expect(listed.items.map((share) => [share.state, share.views])).toEqual([['revoked', 3]]);
  });

  it('lists links by their shareId, with no token or URL, and revokes one by that shareId', async () => {
    const { deps, events, shares } = setup();
    const created = await shareImage(IDS.newer, {}, alice, deps);
    const listed = await listShares(
      alice,
      { limit: 10 },
      {
        shares: { listOf: async () => ({ items: [...shares.links.values()].map((link) => ({ ...link, views: 0 })) }) },
        photos: async () => new Map(),
        now: () => NOW,
      },
    );
    expect(listed.items.map((share) => share.shareId)).toEqual([created.share.shareId]);
    for (const share of listed.items) {
      expect(share).not.toHaveProperty('token');
      expect(share).not.toHaveProperty('url');
    }
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(listed)).not.toContain('/shared');

    await revokeShare(listed.items[0]?.shareId ?? '', alice, deps);
    expect(shares.links.get(tokenHash(created.token))?.revokedAt).toBe(NOW.toISOString());
    expect(events.events.at(-1)?.detail).toMatchObject({ shareId: created.share.shareId });
  });

  it('lists a photo’s link with its file name and thumbnail as its record has them, read once a page', async () => {
    const { deps, shares } = setup();
    const photo = await shareImage(IDS.newer, {}, alice, deps);
    const again = await shareImage(IDS.newer, {}, alice, deps);
    const album = await shareAlbum(ALBUM, {}, alice, deps);
    // The link's own page says `Photo`: its file name is shown to its owner only.
    expect(photo.share.title).toBe('Photo');
    expect(photo.share).not.toHaveProperty('filename');
    const asked: string[][] = [];
    const listed = await listShares(
      alice,
      { limit: 10 },
      {
        shares: { listOf: async () => ({ items: [...shares.links.values()].map((link) => ({ ...link, views: 0 })) }) },
        photos: async (owner, imageIds) => {
          asked.push([owner, ...imageIds]);
          return new Map([[IDS.newer, { filename: 'kite.jpg', thumbnailUrl: 'https://s3.example/kite-128.webp' }]]);
        },
        now: () => NOW,
      },
    );
    expect(asked).toEqual([[TEST_USER.sub, IDS.newer]]);
    const byId = new Map(listed.items.map((share) => [share.shareId, share]));
    for (const made of [photo, again]) {
      expect(byId.get(made.share.shareId)).toMatchObject({
        title: 'Photo',
        filename: 'kite.jpg',
        thumbnailUrl: 'https://s3.example/kite-128.webp',
      });
    }
    expect(byId.get(album.share.shareId)).toMatchObject({ title: 'Summer' });
    expect(byId.get(album.share.shareId)).not.toHaveProperty('filename');
  });

  it('lists a link to a photo locked since without its file name or thumbnail (issue 80)', async () => {
    const { deps, shares } = setup();
    const { share } = await shareImage(IDS.newer, {}, alice, deps);
    const listed = await listShares(
      alice,
      { limit: 10 },
      {
        shares: { listOf: async () => ({ items: [...shares.links.values()].map((link) => ({ ...link, views: 0 })) }) },
        photos: async () => new Map([[IDS.newer, { filename: 'kite.jpg', locked: true }]]),
        now: () => NOW,
      },
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ shareId: share.shareId, title: 'Photo' });
    for (const field of ['filename', 'thumbnailUrl', 'locked']) expect(listed.items[0]).not.toHaveProperty(field);
  });

  it("is a 404 to revoke another owner's link or a token no link has; an admin may revoke any by its token", async () => {
    const { deps } = setup();
    const { token, share } = await shareImage(IDS.newer, {}, alice, deps);
    expect(await status(revokeShare(token, bob, deps))).toBe(404);
    expect(await status(revokeShare(share.shareId, bob, deps))).toBe(404);
    expect(await status(revokeShare('x'.repeat(43), alice, deps))).toBe(404);
    expect(await status(revokeShare('0'.repeat(16), alice, deps))).toBe(404);
    expect(await status(revokeShare('garbage', alice, deps))).toBe(404);
    // By its shareId, a link is looked for among the caller's own: an admin's are theirs.
    expect(await status(revokeShare(share.shareId, { owner: 'root', admin: true }, deps))).toBe(404);
    await expect(revokeShare(token, { owner: 'root', admin: true }, deps)).resolves.toBeUndefined();
  });
});
