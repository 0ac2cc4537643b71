import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WindowHashes } from '../core/analysis/windows';
import { cancellationReasons } from '../shared/transactions';
import { batchGetKeys } from '../store/batch-get';
import { BandPostings, ignoreConditionFailed, ROUNDS, strings } from './band-postings';
import type { MemberFacts } from './suggest';
import { clusterKey, MAX_CLUSTER_MEMBERS, OPEN_SHARDS, openListKey, openListPartition, photoKey } from './table-design';

/** What the table keeps of a photo: its hashes, what a suggestion weighs, and the cluster it is in. */
export interface DuplicatePhoto {
  imageId: string;
  owner: string;
  hashes: WindowHashes;
  facts: MemberFacts;
  /** The open cluster it is in; none when it is in none (a resolved or dismissed cluster leaves no id). */
  clusterId?: string;
  /** Photos the owner said are not its duplicates (a dismissed cluster): never clustered with it again. */
  notWith?: string[];
  /** In the trash or the locked folder: its hashes are kept for a restore, posted nowhere. */
  away?: boolean;
}

export type ClusterState = 'open' | 'resolved' | 'dismissed' | 'dissolved';

export interface Cluster {
  clusterId: string;
  owner: string;
  members: string[];
  state: ClusterState;
  createdAt: string;
  updatedAt: string;
  /** A resolve begun (review.ts): what it keeps and trashes, so that its retry finishes it once its copies left. */
  resolving?: Resolution;
  /** What closed it, as its request answered (review.ts): a retried resolve or dismiss answers it again. */
  outcome?: ClusterOutcome;
}

/** What a resolve was asked to keep and trash. */
export interface Resolution {
  keep: string[];
  trash: string[];
}

/** A closed cluster's outcome: a resolve's request and what it carried, or the photos a dismiss kept apart. */
export type ClusterOutcome = (Resolution & { carried: Record<string, unknown> }) | { dismissed: string[] };

/**
 * The near-duplicates table (table-design.ts): each photo's hashes posted under their band values, its facts, and the
 * clusters, each kept by its own key.
 */
export class DuplicateStore extends BandPostings {
  async getPhoto(imageId: string): Promise<DuplicatePhoto | undefined> {
    const item = await this.read(photoKey(imageId));
    return item && photoOf(item);
  }

  /** The photos of these ids that the table has, in no particular order. */
  async getPhotos(imageIds: readonly string[]): Promise<DuplicatePhoto[]> {
    return (await this.readAll(imageIds.map(photoKey), 'photos')).map(photoOf);
  }

  /**
   * Keep a photo's hashes and facts (a new one, or a new version of it), back from `away`; its cluster and what the
   * owner dismissed stay. Answers the hashes it had before, if any, so the caller takes the stale ones off.
   */
  async putPhoto(photo: Omit<DuplicatePhoto, 'clusterId' | 'notWith' | 'away'>): Promise<WindowHashes | undefined> {
    const updated = await this.dynamo.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: photoKey(photo.imageId),
        UpdateExpression: 'SET #owner = :owner, hashes = :hashes, facts = :facts REMOVE away',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': photo.owner, ':hashes': photo.hashes, ':facts': photo.facts },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return updated?.Attributes?.hashes as WindowHashes | undefined;
  }

  /** The photo leaves every list (trash, lock): its hashes stay for a restore. */
  async markAway(imageId: string): Promise<void> {
    await this.updatePhotoIf(imageId, 'SET away = :yes', 'attribute_exists(pk)', { ':yes': true });
  }

  async deletePhoto(imageId: string): Promise<void> {
    await this.dynamo.send(new DeleteCommand({ TableName: this.tableName, Key: photoKey(imageId) }));
  }

  /**
   * A new cluster of these photos: the cluster, its list item and each member's `clusterId`, only if none of them is
   * in a cluster yet. False when one is (another arrival clustered it meanwhile): read again and join.
   */
  async createCluster(cluster: Cluster): Promise<boolean> {
    try {
      await this.dynamo.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...clusterKey(cluster.clusterId), ...clusterItem(cluster) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: { ...openListKey(cluster.owner, cluster.clusterId) } } },
            ...cluster.members.map((imageId) => ({
              Update: {
                TableName: this.tableName,
                Key: photoKey(imageId),
                UpdateExpression: 'SET clusterId = :cluster',
                ConditionExpression:
                  'attribute_exists(pk) AND attribute_not_exists(clusterId) AND attribute_not_exists(away)',
                ExpressionAttributeValues: { ':cluster': cluster.clusterId },
              },
            })),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationReasons(error)) return false;
      throw error;
    }
  }

  /** Add a photo to an open cluster with room. False when it is closed, full, or the photo is in one already. */
  async joinCluster(clusterId: string, imageId: string, at: string): Promise<boolean> {
    try {
      await this.dynamo.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: clusterKey(clusterId),
                UpdateExpression: 'ADD members :me SET updatedAt = :at',
                ConditionExpression: '#state = :open AND size(members) < :cap',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: {
                  ':me': new Set([imageId]),
                  ':at': at,
                  ':open': 'open',
                  ':cap': MAX_CLUSTER_MEMBERS,
                },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: photoKey(imageId),
                UpdateExpression: 'SET clusterId = :cluster',
                ConditionExpression:
                  'attribute_exists(pk) AND attribute_not_exists(clusterId) AND attribute_not_exists(away)',
                ExpressionAttributeValues: { ':cluster': clusterId },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationReasons(error)) return false;
      throw error;
    }
  }

  async getCluster(clusterId: string): Promise<Cluster | undefined> {
    const item = await this.read(clusterKey(clusterId));
    return item && clusterOf(item);
  }

  async getClusters(clusterIds: readonly string[]): Promise<Cluster[]> {
    return (await this.readAll(clusterIds.map(clusterKey), 'clusters')).map(clusterOf);
  }

  /** One item by key, read consistently (a cluster or a photo as the last write left it). */
  private async read(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const found = await this.dynamo.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return found?.Item;
  }

  /** Items by key, read consistently; one left unread (throttled past the rounds) fails the caller, to be retried. */
  private async readAll(keys: readonly Record<string, string>[], what: string): Promise<Record<string, unknown>[]> {
    if (keys.length === 0) return [];
    const { found, unprocessed } = await batchGetKeys(this.dynamo, this.tableName, keys, {
      consistent: true,
      rounds: ROUNDS,
    });
    if (unprocessed.length > 0) throw new Error(`${unprocessed.length} ${what} of the duplicates table left unread`);
    return found;
  }

  /**
   * A photo leaves its cluster (trashed, locked, purged): taken off its members, its `clusterId` removed. A cluster
   * left with one photo is dissolved: off the owner's list, its last photo free. Idempotent.
   */
  async leaveCluster(clusterId: string, imageId: string, at: string): Promise<void> {
    const left = await this.dynamo
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: clusterKey(clusterId),
          UpdateExpression: 'DELETE members :me SET updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':me': new Set([imageId]), ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error) => {
        ignoreConditionFailed(error);
        return { Attributes: undefined };
      });
    await this.clearClusterId(imageId, clusterId);
    if (!left?.Attributes) return;
    const cluster = clusterOf(left.Attributes);
    if (cluster.state === 'open' && cluster.members.length < 2) {
      await this.close(cluster, 'dissolved', at);
    }
  }

  /**
   * Say a resolve has begun, before its first write: what it keeps and trashes (a retry of the same finishes it once
   * its trashing dissolved the cluster). False when the cluster is not open.
   */
  async beginResolve(clusterId: string, resolution: Resolution): Promise<boolean> {
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: clusterKey(clusterId),
          UpdateExpression: 'SET resolving = :resolving',
          ConditionExpression: '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':resolving': { keep: resolution.keep, trash: resolution.trash },
            ':open': 'open',
          },
        }),
      );
      return true;
    } catch (error) {
      ignoreConditionFailed(error);
      return false;
    }
  }

  /**
   * Close an open cluster (resolved, dismissed, dissolved): its state set with its `outcome` (what the request that
   * closed it answered), off the owner's list, and each member that is still in it freed, with `notWith` the other
   * members when dismissed. False when it was not open.
   */
  async close(
    cluster: Cluster,
    state: Exclude<ClusterState, 'open'>,
    at: string,
    outcome?: ClusterOutcome,
  ): Promise<boolean> {
    try {
      // A resolve closes a cluster its own trashing may have dissolved meanwhile (its copies left it).
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: clusterKey(cluster.clusterId),
          UpdateExpression: `SET #state = :state, updatedAt = :at${outcome ? ', outcome = :outcome' : ''}`,
          ConditionExpression: state === 'resolved' ? '#state IN (:open, :dissolved)' : '#state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':state': state,
            ':at': at,
            ':open': 'open',
            ...(state === 'resolved' && { ':dissolved': 'dissolved' }),
            ...(outcome && { ':outcome': outcome }),
          },
        }),
      );
    } catch (error) {
      ignoreConditionFailed(error);
      return false;
    }
    await this.dynamo.send(
      new DeleteCommand({ TableName: this.tableName, Key: openListKey(cluster.owner, cluster.clusterId) }),
    );
    await Promise.all(
      cluster.members.map(async (imageId) => {
        await this.clearClusterId(imageId, cluster.clusterId);
        const others = cluster.members.filter((other) => other !== imageId);
        if (state === 'dismissed' && others.length > 0) await this.addNotWith(imageId, others);
      }),
    );
    return true;
  }

  /** The owner's open clusters, newest first: `limit` ids older than `before` (a cursor), and whether more follow. */
  async listOpen(owner: string, limit: number, before?: string): Promise<{ clusterIds: string[]; more: boolean }> {
    const shards = await Promise.all(
      Array.from({ length: OPEN_SHARDS }, async (_, shard) => {
        const { Items = [] } = await this.dynamo.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': openListPartition(owner, shard),
              ...(before && { ':before': before }),
            },
            ScanIndexForward: false,
            Limit: limit + 1,
          }),
        );
        return Items.map((item) => String(item.sk));
      }),
    );
    const merged = shards.flat().sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    return { clusterIds: merged.slice(0, limit), more: merged.length > limit };
  }

  private async clearClusterId(imageId: string, clusterId: string): Promise<void> {
    await this.updatePhotoIf(imageId, 'REMOVE clusterId', 'clusterId = :cluster', { ':cluster': clusterId });
  }

  private async addNotWith(imageId: string, others: string[]): Promise<void> {
    await this.updatePhotoIf(imageId, 'ADD notWith :others', 'attribute_exists(pk)', { ':others': new Set(others) });
  }

  /** A photo's item updated only if `condition` holds; a condition that fails leaves it as it is (idempotent hooks). */
  private async updatePhotoIf(
    imageId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<void> {
    await this.dynamo
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: photoKey(imageId),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      )
      .catch(ignoreConditionFailed);
  }
}

function photoOf(item: Record<string, unknown>): DuplicatePhoto {
  const notWith = strings(item.notWith);
  return {
    imageId: String(item.pk).slice(2),
    owner: String(item.owner),
    hashes: item.hashes as WindowHashes,
    facts: item.facts as MemberFacts,
    ...(typeof item.clusterId === 'string' && { clusterId: item.clusterId }),
    ...(notWith.length > 0 && { notWith }),
    ...(item.away === true && { away: true }),
  };
}

function clusterItem(cluster: Cluster): Record<string, unknown> {
  return {
    owner: cluster.owner,
    members: new Set(cluster.members),
    state: cluster.state,
    createdAt: cluster.createdAt,
    updatedAt: cluster.updatedAt,
  };
}

function clusterOf(item: Record<string, unknown>): Cluster {
  return {
    clusterId: String(item.pk).slice(2),
    owner: String(item.owner),
    members: strings(item.members).sort(),
    state: item.state as ClusterState,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    ...(isObject(item.resolving) && { resolving: item.resolving as unknown as Resolution }),
    ...(isObject(item.outcome) && { outcome: item.outcome as unknown as ClusterOutcome }),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
