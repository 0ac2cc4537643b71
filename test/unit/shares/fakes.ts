import type { IEventPublisher, ImageEvent } from '../../../lambdas/events/events';
import type { ShareItem } from '../../../lambdas/shares/share';
import type { ShareStore } from '../../../lambdas/shares/share-store';

/** The shares table in memory: links by hash, wrong passwords by hash and window. */
export class MemoryShares
  implements Pick<ShareStore, 'create' | 'get' | 'revoke' | 'countView' | 'failures' | 'countFailure'>
{
  readonly links = new Map<string, ShareItem>();
  readonly attempts = new Map<string, number>();
  /** Each link's views, apart from it as in the table. */
  readonly views = new Map<string, number>();
  viewFails = false;

  async create(share: ShareItem): Promise<void> {
    if (this.links.has(share.hash)) throw new Error('exists');
    this.links.set(share.hash, { ...share });
  }
  async get(hash: string): Promise<ShareItem | undefined> {
    const found = this.links.get(hash);
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
  async failures(hash: string, window: string): Promise<number> {
    return this.attempts.get(`${hash}#${window}`) ?? 0;
  }
  async countFailure(hash: string, window: string): Promise<number> {
    const count = (this.attempts.get(`${hash}#${window}`) ?? 0) + 1;
    this.attempts.set(`${hash}#${window}`, count);
    return count;
  }
}

/** Every event published, in order. */
export class Published implements IEventPublisher {
  readonly events: ImageEvent[] = [];
  async publish(event: ImageEvent): Promise<void> {
    this.events.push(event);
  }
}
