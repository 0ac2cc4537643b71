import type { AlbumStore } from '../albums/album-store';
import { EVENT_VERSION, eventIdOf } from '../events/event-details';
import type { IEventPublisher } from '../events/events';
import { eventOf } from '../events/events';
import { BadRequestError, NotFoundError } from '../shared/errors';
import type { Caller } from '../store/owner';
import { PARTNERS_EVENTS } from './events';
import type { Grant, GrantStore } from './grants';

export interface PartnersDeps {
  grants: Pick<GrantStore, 'get' | 'put' | 'delete' | 'granted' | 'received'>;
  albums: Pick<AlbumStore, 'getMany'>;
  events: IEventPublisher;
  now?: () => Date;
}

export interface GrantAsked {
  partner: string;
  albums?: string[];
  from?: string;
}

/**
 * Grant another owner read access to the caller's library, or replace the grant to them:
 * 1. refuse a grant to oneself;
 * 2. check each album named is the caller's, and a manual one (a smart album's photos are a search, run as its
 *    owner: not a list a partner can be given);
 * 3. put the grant (within the caller's cap of partners: a 409 past it; a re-grant replaces, keeping `createdAt`);
 * 4. publish `Partner Granted` for each of the two owners.
 * The partner's reads check the grant by key each time, so a change applies to their next request.
 */
export async function grantPartner(asked: GrantAsked, caller: Caller, deps: PartnersDeps): Promise<Grant> {
  if (asked.partner === caller.owner) throw new BadRequestError('partner: you cannot grant yourself your own library');
  if (asked.albums) await checkAlbums(asked.albums, caller.owner, deps);
  const now = (deps.now?.() ?? new Date()).toISOString();
  const grant: Grant = {
    grantor: caller.owner,
    partner: asked.partner,
    ...(asked.albums && { albums: asked.albums }),
    ...(asked.from && { from: asked.from }),
    createdAt: now,
    updatedAt: now,
  };
  await deps.grants.put(grant);
  const stored = (await deps.grants.get(grant.grantor, grant.partner)) ?? grant;
  await publishBoth(deps, 'partnerGranted', stored, now);
  return stored;
}

/** The caller's grants, to their partners and from those who share with them. */
export async function listPartners(
  caller: Caller,
  deps: Pick<PartnersDeps, 'grants'>,
): Promise<{ granted: Grant[]; received: Grant[] }> {
  const [granted, received] = await Promise.all([
    deps.grants.granted(caller.owner),
    deps.grants.received(caller.owner),
  ]);
  return { granted, received };
}

/** Revoke the caller's grant to `partner` at once (404 when there is none); `Partner Revoked` for each owner. */
export async function revokePartner(partner: string, caller: Caller, deps: PartnersDeps): Promise<void> {
  if (!(await deps.grants.delete(caller.owner, partner))) {
    throw new NotFoundError(`partner: you have not shared your library with ${partner}`);
  }
  const now = (deps.now?.() ?? new Date()).toISOString();
  await publishBoth(deps, 'partnerRevoked', { grantor: caller.owner, partner }, now);
}

async function checkAlbums(albumIds: readonly string[], owner: string, deps: Pick<PartnersDeps, 'albums'>) {
  const found = new Map((await deps.albums.getMany(albumIds)).map((album) => [album.albumId, album]));
  for (const albumId of albumIds) {
    const album = found.get(albumId);
    if (!album || album.owner !== owner) throw new BadRequestError(`albums: ${albumId} is not one of your albums`);
    if (album.kind !== 'manual') {
      throw new BadRequestError(`albums: ${albumId} is a smart album (a saved search); grant manual albums only`);
    }
  }
}

/** The event once for the grantor and once for the partner, so that each one's webhooks are told. */
async function publishBoth(
  deps: Pick<PartnersDeps, 'events'>,
  key: keyof typeof PARTNERS_EVENTS,
  grant: Pick<Grant, 'grantor' | 'partner' | 'albums' | 'from'>,
  occurredAt: string,
): Promise<void> {
  const declaration = PARTNERS_EVENTS[key];
  const scope =
    key === 'partnerGranted'
      ? { ...(grant.albums && { albums: grant.albums }), ...(grant.from && { from: grant.from }) }
      : {};
  for (const owner of [grant.grantor, grant.partner]) {
    const subject = `${grant.grantor}\n${grant.partner}\n${owner}`;
    await deps.events.publish(
      eventOf(declaration, {
        version: EVENT_VERSION,
        owner,
        grantor: grant.grantor,
        partner: grant.partner,
        ...scope,
        occurredAt,
        eventId: eventIdOf(declaration.detailType, subject, occurredAt),
      }),
    );
  }
}
