import type {
  BurstPosting,
  PairPosting,
  PostingPort,
  StackItem,
  StackPort,
  StackWrite,
} from '../../../lambdas/stacks/stack-store';
import type { ImageItem } from '../../../lambdas/store/image-item';

/**
 * The stacks table and the results table in memory, with the conditions StackStore's transaction writes: the stack
 * as read (its `updatedAt`), absent for a new one, and each record as read (its `updatedAt`). All or nothing.
 */
export class FakeStacks implements StackPort, PostingPort {
  readonly items = new Map<string, ImageItem>();
  readonly stacks = new Map<string, StackItem>();
  readonly bursts: BurstPosting[] = [];
  readonly pairs: PairPosting[] = [];
  commits = 0;
  /** Run before a commit applies: what another writer does between a read and the write. */
  beforeCommit?: () => void;

  async stack(stackId: string) {
    const stack = this.stacks.get(stackId);
    return stack && structuredClone(stack);
  }

  async records(imageIds: readonly string[]) {
    return imageIds.flatMap((id) => {
      const record = this.items.get(id);
      return record ? [structuredClone(record)] : [];
    });
  }

  async commit(write: StackWrite): Promise<boolean> {
    const before = this.beforeCommit;
    this.beforeCommit = undefined;
    before?.();
    const { stack } = write;
    if (stack && 'put' in stack && this.stacks.has(stack.put.stackId)) return false;
    if (stack && 'replace' in stack && this.stacks.get(stack.replace.stackId)?.updatedAt !== stack.seen) return false;
    if (stack && 'delete' in stack && this.stacks.get(stack.delete.stackId)?.updatedAt !== stack.delete.updatedAt) {
      return false;
    }
    for (const { record } of write.frames) {
      if (this.items.get(record.imageId)?.updatedAt !== record.updatedAt) return false;
    }
    this.commits++;
    if (stack && 'put' in stack) this.stacks.set(stack.put.stackId, stack.put);
    if (stack && 'replace' in stack) this.stacks.set(stack.replace.stackId, stack.replace);
    if (stack && 'delete' in stack) this.stacks.delete(stack.delete.stackId);
    for (const { record, becomes, stackId } of write.frames) {
      const now = this.items.get(record.imageId) as ImageItem;
      const { stack: _stack, stackedIn: _stackedIn, stackPrimary: _stackPrimary, ...rest } = now;
      this.items.set(record.imageId, {
        ...rest,
        updatedAt: write.at,
        ...(becomes.role === 'primary' && { stack: { id: stackId, count: becomes.count } }),
        ...(becomes.role === 'frame' && { stackedIn: stackId, stackPrimary: becomes.primary }),
      });
    }
    return true;
  }

  async post({ burst, pair }: { burst?: BurstPosting; pair?: PairPosting }) {
    if (burst && !this.bursts.some((one) => one.imageId === burst.imageId)) this.bursts.push(burst);
    if (pair && !this.pairs.some((one) => one.imageId === pair.imageId)) this.pairs.push(pair);
  }

  async burstsIn(owner: string, camera: string, seconds: readonly string[], limit: number) {
    return seconds.flatMap((second) =>
      this.bursts
        .filter((one) => one.owner === owner && one.camera === camera && one.second === second)
        .slice(0, limit),
    );
  }

  async pairsOf(owner: string, base: string, second: string, limit: number) {
    return this.pairs
      .filter((one) => one.owner === owner && one.base === base && one.second === second)
      .slice(0, limit);
  }

  async unpost({ burst, pair }: { burst?: BurstPosting; pair?: PairPosting }) {
    if (burst) this.bursts.splice(0, this.bursts.length, ...this.bursts.filter((one) => one.imageId !== burst.imageId));
    if (pair) this.pairs.splice(0, this.pairs.length, ...this.pairs.filter((one) => one.imageId !== pair.imageId));
  }

  add(...items: ImageItem[]) {
    for (const item of items) this.items.set(item.imageId, item);
  }

  /** A record as it is now. */
  get(imageId: string): ImageItem {
    return this.items.get(imageId) as ImageItem;
  }
}
