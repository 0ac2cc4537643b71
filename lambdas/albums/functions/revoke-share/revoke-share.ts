import { type IEventPublisher, shareEvent } from '../../../events/events';
import { DETAIL_TYPES } from '../../../events/vocabulary';
import { NotFoundError } from '../../../shared/errors';
import { targetFields } from '../../../shares/create-share';
import { isShareToken, shareIdOf, tokenHash } from '../../../shares/secrets';
import type { ShareStore } from '../../../shares/share-store';
import { type Caller, mayAccess } from '../../../store/owner';

export interface RevokeShareDeps {
  shares: Pick<ShareStore, 'get' | 'revoke'>;
  events: IEventPublisher;
  now?: () => Date;
}

/**
 * Revoke a link at once:
 * 1. read it by its token's hash (404: no such link, or another owner's; an admin may revoke any);
 * 2. mark it revoked, unless it already is (a second revoke changes nothing and publishes nothing);
 * 3. publish `Share Revoked`.
 * From then on `GET /shared/{token}` answers 410, until the link's item is deleted 30 days later (then 404).
 */
export async function revokeShare(token: string, caller: Caller, deps: RevokeShareDeps): Promise<void> {
  const hash = isShareToken(token) ? tokenHash(token) : undefined;
  const share = hash === undefined ? undefined : await deps.shares.get(hash);
  if (!hash || !share || !mayAccess(caller, share.owner)) throw new NotFoundError('share link not found');
  const at = (deps.now?.() ?? new Date()).toISOString();
  if (!(await deps.shares.revoke(hash, at))) return;
  await deps.events.publish(
    shareEvent(DETAIL_TYPES.shareRevoked, {
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
