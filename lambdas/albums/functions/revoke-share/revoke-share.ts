import type { IEventPublisher } from '../../../events/events';
import { NotFoundError } from '../../../shared/errors';
import { shareEvent, targetFields } from '../../../shares/create-share';
import { SHARES_EVENTS } from '../../../shares/events';
import { isShareId, isShareToken, shareIdOf, tokenHash } from '../../../shares/secrets';
import type { ShareStore } from '../../../shares/share-store';
import { type Caller, mayAccess } from '../../../store/owner';

export interface RevokeShareDeps {
  shares: Pick<ShareStore, 'get' | 'findOwned' | 'revoke'>;
  events: IEventPublisher;
  now?: () => Date;
}

/**
 * Revoke a link at once:
 * 1. find it: by its shareId among the caller's own links (`GET /shares` names links so: it keeps no token), or by
 *    its token's hash (404: no such link, or another owner's; an admin may revoke any by its token);
 * 2. mark it revoked, unless it already is (a second revoke changes nothing and publishes nothing);
 * 3. publish `Share Revoked`.
 * From then on `GET /shared/{token}` answers 410, until the link's item is deleted 30 days later (then 404).
 */
export async function revokeShare(id: string, caller: Caller, deps: RevokeShareDeps): Promise<void> {
  const share = isShareId(id)
    ? await deps.shares.findOwned(caller.owner, id)
    : isShareToken(id)
      ? await deps.shares.get(tokenHash(id))
      : undefined;
  if (!share || !mayAccess(caller, share.owner)) throw new NotFoundError('share link not found');
  const { hash } = share;
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (!(await deps.shares.revoke(hash, at))) return;
  await deps.events.publish(
    shareEvent(SHARES_EVENTS.shareRevoked, {
      shareId: shareIdOf(hash),
      owner: share.owner,
      ...targetFields(share.target),
      ...(share.expiresAt !== undefined && { expiresAt: share.expiresAt }),
      protected: share.passwordHash !== undefined,
      allowDownload: share.allowDownload,
      occurredAt: at,
    }),
  );
}
