import type { Album } from '../../../lambdas/albums/schemas';
import type { PublishedEvent } from '../../../lambdas/events/events';
import type { Grant } from '../../../lambdas/partners/grants';
import { grantPartner, type PartnersDeps, revokePartner } from '../../../lambdas/partners/partners';
import { BadRequestError, NotFoundError } from '../../../lambdas/shared/errors';

/*
 * The grant's use case with the grants kept in a map and the albums in a list: who may be granted what, that a grant
 * and a revoke tell both owners, and that a revoke of nothing is a 404.
 */

const alice = { owner: 'alice', admin: false };
const now = new Date('2026-11-29T12:00:00.000Z');

function album(albumId: string, owner: string, kind: Album['kind'] = 'manual'): Album {
  return { albumId, owner, kind, name: albumId, order: 'added', count: 0, createdAt: 'c', updatedAt: 'u' } as Album;
}

function depsWith(albums: Album[] = []) {
  const grants = new Map<string, Grant>();
  const published: PublishedEvent[] = [];
  const deps: PartnersDeps = {
    grants: {
      get: async (grantor, partner) => grants.get(`${grantor}>${partner}`),
      put: async (grant) => {
        const replaced = grants.has(`${grant.grantor}>${grant.partner}`);
        grants.set(`${grant.grantor}>${grant.partner}`, grant);
        return replaced ? 'replaced' : 'created';
      },
      delete: async (grantor, partner) => grants.delete(`${grantor}>${partner}`),
      granted: async (grantor) => [...grants.values()].filter((one) => one.grantor === grantor),
      received: async (partner) => [...grants.values()].filter((one) => one.partner === partner),
    },
    albums: { getMany: async (ids) => albums.filter((one) => ids.includes(one.albumId)) },
    events: { publish: async (event) => void published.push(event) },
    now: () => now,
  };
  return { deps, grants, published };
}

const ALBUM = 'al_0123456789abcdef0123';
const OTHER = 'al_fedcba9876543210fedc';

describe('granting a partner', () => {
  it('refuses a grant to oneself', async () => {
    const { deps, grants } = depsWith();
    await expect(grantPartner({ partner: 'alice' }, alice, deps)).rejects.toThrow(BadRequestError);
    expect(grants.size).toBe(0);
  });

  it("refuses another owner's album, an unknown one and a smart one, naming it", async () => {
    const { deps, grants } = depsWith([album(ALBUM, 'alice', 'smart'), album(OTHER, 'carol')]);
    await expect(grantPartner({ partner: 'bob', albums: [OTHER] }, alice, deps)).rejects.toThrow(
      `albums: ${OTHER} is not one of your albums`,
    );
    await expect(grantPartner({ partner: 'bob', albums: ['al_00000000000000000000'] }, alice, deps)).rejects.toThrow(
      /is not one of your albums/,
    );
    await expect(grantPartner({ partner: 'bob', albums: [ALBUM] }, alice, deps)).rejects.toThrow(/smart album/);
    expect(grants.size).toBe(0);
  });

  it('stores the grant with its albums and date, and tells both owners', async () => {
    const { deps, published } = depsWith([album(ALBUM, 'alice')]);
    const grant = await grantPartner({ partner: 'bob', albums: [ALBUM], from: '2024-01-01T00:00:00' }, alice, deps);
    expect(grant).toMatchObject({ grantor: 'alice', partner: 'bob', albums: [ALBUM], from: '2024-01-01T00:00:00' });
    expect(published.map((event) => [event.detailType, event.detail.owner])).toEqual([
      ['Partner Granted', 'alice'],
      ['Partner Granted', 'bob'],
    ]);
    const ids = published.map((event) => (event.detail as { eventId: string }).eventId);
    expect(new Set(ids).size).toBe(2);
  });
});

describe('revoking a partner', () => {
  it('deletes the grant at once and tells both owners', async () => {
    const { deps, grants, published } = depsWith();
    await grantPartner({ partner: 'bob' }, alice, deps);
    published.length = 0;
    await revokePartner('bob', alice, deps);
    expect(grants.size).toBe(0);
    expect(published.map((event) => [event.detailType, event.detail.owner])).toEqual([
      ['Partner Revoked', 'alice'],
      ['Partner Revoked', 'bob'],
    ]);
  });

  it('answers 404 when there is no such grant, and publishes nothing', async () => {
    const { deps, published } = depsWith();
    await expect(revokePartner('bob', alice, deps)).rejects.toThrow(NotFoundError);
    expect(published).toEqual([]);
  });
});
