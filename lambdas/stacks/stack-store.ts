import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { transactReasons } from '../shared/transactions';
import type { ImageItem } from '../store/image-item';
import { ImageStore } from '../store/image-store';
import { shardAttributes } from '../store/list-shards';
import { stackKey } from './table-design';

/** What a stack says of itself (the table's stack item, without its keys). */
export interface StackItem {
  stackId: string;
  owner: string;
  /** The frame the lists show. Always `frames[0]`. */
  primary: string;
  /** Every frame, the primary first. */
  frames: string[];
  /** How it was made: by its owner (`POST /stacks`), or as a burst or a pair of formats arrived. */
  kind: StackKind;
  createdAt: string;
  updatedAt: string;
}

export type StackKind = 'manual' | 'burst' | 'pair';

/**
 * What a frame's record becomes: the primary (with the stack's count), a frame behind it (with the primary's id, so a
 * search that finds the frame shows the primary: `stackPrimary`), or in no stack.
 */
export type FrameRole = { role: 'primary'; count: number } | { role: 'frame'; primary: string } | { role: 'none' };

/** One change of stacks: the stack item put, replaced or deleted, and frames' records, all or nothing. */
export interface StackWrite {
  stack?: { put: StackItem } | { replace: StackItem; seen: string } | { delete: StackItem };
  /** Each record as it was read (its `updatedAt` is the write's condition), and what it becomes. */
  frames: { record: ImageItem; becomes: FrameRole; stackId: string }[];
  at: string;
}

/** A burst posting: a photo of one owner's camera, by the second it was taken. */
export interface BurstPosting {
  owner: string;
  camera: string;
  /** `takenAt` to the second, `YYYY-MM-DDTHH:MM:SS`. */
  second: string;
  ms: number;
  imageId: string;
  phash: string;
}

/** A pair posting: a file of one owner's, by its base name and the second it was taken. */
export interface PairPosting {
  owner: string;
  base: string;
  second: string;
  imageId: string;
}

/** The stacks as the use cases read and write them (StackStore on DynamoDB; a fake in the unit tests). */
export interface StackPort {
  stack(stackId: string): Promise<StackItem | undefined>;
  /** The records of these images (read consistently), those that exist. */
  records(imageIds: readonly string[]): Promise<ImageItem[]>;
  /** All or nothing; false when a condition failed (something changed since it was read). */
  commit(write: StackWrite): Promise<boolean>;
}

/** The postings by which an arriving photo's neighbours are found. */
export interface PostingPort {
  post(posting: { burst?: BurstPosting; pair?: PairPosting }): Promise<void>;
  /** The burst postings of one owner's camera in these seconds, at most `limit` a second. */
  burstsIn(owner: string, camera: string, seconds: readonly string[], limit: number): Promise<BurstPosting[]>;
  pairsOf(owner: string, base: string, second: string, limit: number): Promise<PairPosting[]>;
  unpost(posting: { burst?: BurstPosting; pair?: PairPosting }): Promise<void>;
}

const burstKey = (p: Pick<BurstPosting, 'owner' | 'camera' | 'second'>) => `B#${p.owner}#${p.camera}#${p.second}`;
const pairKey = (p: Pick<PairPosting, 'owner' | 'base' | 'second'>) => `N#${p.owner}#${p.base}#${p.second}`;

/**
 * The stacks table and the frames' records in the results table (table-design.ts): every change of a stack is one
 * transaction over both, each item conditional on what was read, so a stack and its frames never disagree.
 */
export class StackStore implements StackPort, PostingPort {
  private readonly images: ImageStore;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly resultsTable: string,
  ) {
    this.images = new ImageStore(client, resultsTable);
  }

  async stack(stackId: string): Promise<StackItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: stackKey(stackId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...stack } = Item;
    return stack as StackItem;
  }

  async records(imageIds: readonly string[]): Promise<ImageItem[]> {
    const found = await Promise.all(imageIds.map((id) => this.images.get(id)));
    return found.filter((item): item is ImageItem => item !== undefined);
  }

  async commit(write: StackWrite): Promise<boolean> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    const { stack } = write;
    if (stack && 'put' in stack) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...stackKey(stack.put.stackId), ...stack.put },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    } else if (stack && 'replace' in stack) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...stackKey(stack.replace.stackId), ...stack.replace },
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': stack.seen },
        },
      });
    } else if (stack && 'delete' in stack) {
      items.push({
        Delete: {
          TableName: this.tableName,
          Key: stackKey(stack.delete.stackId),
          ConditionExpression: 'updatedAt = :seen',
          ExpressionAttributeValues: { ':seen': stack.delete.updatedAt },
        },
      });
    }
    for (const frame of write.frames) items.push({ Update: this.frameUpdate(frame, write.at) });
    return (await transactReasons(this.client, { TransactItems: items })) === undefined;
  }

  /**
   * A frame's record as its role says (`stack` on the primary, `stackedIn` and `stackPrimary` on the others, none of
   * them out of a stack),
   * with its owner's list keys filed accordingly (store/list-shards.ts: an archived or locked one stays where it is,
   * a trashed one keeps the trash's), if the record is as it was read.
   */
  private frameUpdate({ record, becomes, stackId }: StackWrite['frames'][number], at: string) {
    const names: Record<string, string> = {
      '#updatedAt': 'updatedAt',
      '#stack': 'stack',
      '#stackedIn': 'stackedIn',
      '#stackPrimary': 'stackPrimary',
    };
    const values: Record<string, unknown> = { ':now': at, ':seen': record.updatedAt };
    const sets = ['#updatedAt = :now'];
    const removes: string[] = [];
    if (becomes.role === 'primary') {
      sets.push('#stack = :stack');
      values[':stack'] = { id: stackId, count: becomes.count };
      removes.push('#stackedIn', '#stackPrimary');
    } else if (becomes.role === 'frame') {
      sets.push('#stackedIn = :stackedIn', '#stackPrimary = :stackPrimary');
      values[':stackedIn'] = stackId;
      values[':stackPrimary'] = becomes.primary;
      removes.push('#stack');
    } else removes.push('#stack', '#stackedIn', '#stackPrimary');
    if (record.status !== 'TRASHED' && record.owner !== undefined) {
      const stackedIn = becomes.role === 'frame' ? stackId : undefined;
      const keys = shardAttributes(record.imageId, record.status, record.owner, { ...record, stackedIn });
      for (const name of ['listShard', 'ownerShard'] as const) {
        names[`#${name}`] = name;
        if (keys[name] === undefined) removes.push(`#${name}`);
        else {
          sets.push(`#${name} = :${name}`);
          values[`:${name}`] = keys[name];
        }
      }
    }
    return {
      TableName: this.resultsTable,
      Key: { imageId: record.imageId },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
      ConditionExpression: '#updatedAt = :seen',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  async post({ burst, pair }: { burst?: BurstPosting; pair?: PairPosting }): Promise<void> {
    const puts = [];
    if (burst) {
      const sk = `${String(burst.ms).padStart(3, '0')}#${burst.imageId}`;
      puts.push({ pk: burstKey(burst), sk, imageId: burst.imageId, phash: burst.phash, ms: burst.ms });
    }
    if (pair) puts.push({ pk: pairKey(pair), sk: pair.imageId, imageId: pair.imageId });
    await Promise.all(puts.map((Item) => this.client.send(new PutCommand({ TableName: this.tableName, Item }))));
  }

  async burstsIn(owner: string, camera: string, seconds: readonly string[], limit: number): Promise<BurstPosting[]> {
    const pages = await Promise.all(
      seconds.map(async (second) => {
        const items = await this.query(burstKey({ owner, camera, second }), limit);
        return items.map((item) => ({
          owner,
          camera,
          second,
          ms: Number(item.ms),
          imageId: String(item.imageId),
          phash: String(item.phash),
        }));
      }),
    );
    return pages.flat();
  }

  async pairsOf(owner: string, base: string, second: string, limit: number): Promise<PairPosting[]> {
    const items = await this.query(pairKey({ owner, base, second }), limit);
    return items.map((item) => ({ owner, base, second, imageId: String(item.imageId) }));
  }

  async unpost({ burst, pair }: { burst?: BurstPosting; pair?: PairPosting }): Promise<void> {
    const keys = [];
    if (burst) keys.push({ pk: burstKey(burst), sk: `${String(burst.ms).padStart(3, '0')}#${burst.imageId}` });
    if (pair) keys.push({ pk: pairKey(pair), sk: pair.imageId });
    await Promise.all(keys.map((Key) => this.client.send(new DeleteCommand({ TableName: this.tableName, Key }))));
  }

  private async query(pk: string, limit: number): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit,
      }),
    );
    return Items;
  }
}
