import type { IEventPublisher } from '../../../lambdas/events/events';
import type { ImageEvent } from '../../../lambdas/manifest/events';
import type { ShareItem } from '../../../lambdas/shares/share';
import type { ShareStore } from '../../../lambdas/shares/share-store';
import type { AttemptScope } from '../../../lambdas/shares/table-design';

/** The shares table in memory: links by hash, password attempts by hash, window and client (`<hash>#<window>[#<client>]`). */
export class MemoryShares
  implements
    Pick<
      ShareStore,
      'create' | 'get' | 'findOwned' | 'revoke' | 'countView' | 'claimAttempt' | 'releaseAttempt' | 'claimSave'
    >
{
  readonly links = new Map<string, ShareItem>();
  readonly attempts = new Map<string, number>();
  /** Each link's views, apart from it as in the table. */
  readonly views = new Map<string, number>();
  viewFails = false;
  /** The copies saved, by `<hash>#<imageId>#<caller>`, as the table's save items. */
  readonly saves = new Map<string, string>();

  async create(share: ShareItem): Promise<void> {
    if (this.links.has(share.hash)) throw new Error('exists');
    this.links.set(share.hash, { ...share });
  }
  async get(hash: string): Promise<ShareItem | undefined> {
    const found = this.links.get(hash);
    return found && { ...found };
  }
  async findOwned(owner: string, shareId: string): Promise<ShareItem | undefined> {
    const found = [...this.links.values()].find((link) => link.owner === owner && link.hash.startsWith(shareId));
    return found && { ...found };
  }
  async revoke(hash: string, at: string): Promise<boolean> {
    const found = this.links.get(hash);
    if (!found || found.revokedAt) return false;
    found.revokedAt = at;
    return true;
  }
  async countView({ hash }: Pick<ShareItem, 'hash'>): Promise<void> {
    if (this.viewFails) throw new Error('throttled');
    this.views.set(hash, (this.views.get(hash) ?? 0) + 1);
  }
  async claimAttempt(hash: string, { window, client }: AttemptScope, max: number): Promise<boolean> {
    const key = [hash, window, ...(client === undefined ? [] : [client])].join('#');
    const count = this.attempts.get(key) ?? 0;
    if (count >= max) return false;
    this.attempts.set(key, count + 1);
    return true;
  }
  async claimSave(
    { hash }: Pick<ShareItem, 'hash'>,
    { imageId, caller, copyId }: { imageId: string; caller: string; copyId: string },
  ): Promise<{ copyId: string; claimed: boolean }> {
    const key = `${hash}#${imageId}#${caller}`;
    const claimed = this.saves.get(key);
    if (claimed !== undefined) return { copyId: claimed, claimed: false };
    this.saves.set(key, copyId);
    return { copyId, claimed: true };
  }
  async releaseAttempt(hash: string, { window, client }: AttemptScope): Promise<void> {
    const key = [hash, window, ...(client === undefined ? [] : [client])].join('#');
    const count = this.attempts.get(key) ?? 0;
    if (count > 0) this.attempts.set(key, count - 1);
  }
}

/** Every event published, in order. */
export class Published implements IEventPublisher {
  readonly events: ImageEvent[] = [];
  async publish(event: ImageEvent): Promise<void> {
    this.events.push(event);
  }
}
