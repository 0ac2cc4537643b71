import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Motion } from '../core/record';
import type { IObjectRemover } from '../store/image-objects';
import type { LivePort, LivePosting, LiveVideo } from './live-photos';

const videoKey = (imageId: string) => ({ pk: `V#${imageId}`, sk: 'VIDEO' });
const postingKey = ({ owner, base, role, imageId }: Pick<LivePosting, 'owner' | 'base' | 'role' | 'imageId'>) => ({
  pk: `N#${owner}#${base}`,
  sk: `${role === 'still' ? 'S' : 'V'}#${imageId}`,
});

/** Conditional writes that find the condition false answer false, not an error. */
async function unlessConditionFails(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The Live Photos table (table-design.ts), the results table's two writes, and the MOV's object's removal. */
export class LiveStore implements LivePort {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly resultsTable: string,
    private readonly objects?: IObjectRemover,
  ) {}

  keepVideo(video: LiveVideo): Promise<boolean> {
    return unlessConditionFails(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...videoKey(video.imageId), ...video },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async video(imageId: string): Promise<LiveVideo | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: videoKey(imageId) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...video } = Item;
    return video as LiveVideo;
  }

  async post(posting: LivePosting): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...postingKey(posting), ...posting } }));
  }

  async postings(owner: string, base: string, limit: number): Promise<LivePosting[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `N#${owner}#${base}` },
        Limit: limit,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, ...posting }) => posting as LivePosting);
  }

  async unpost(posting: Pick<LivePosting, 'owner' | 'base' | 'role' | 'imageId'>): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: postingKey(posting) }));
  }

  async pairVideo(videoId: string, stillId: string): Promise<void> {
    await unlessConditionFails(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: videoKey(videoId),
          UpdateExpression: 'SET #still = :still',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#still': 'still' },
          ExpressionAttributeValues: { ':still': stillId },
        }),
      ),
    );
  }

  setMotion(stillId: string, owner: string, motion: Motion): Promise<boolean> {
    return unlessConditionFails(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.resultsTable,
          Key: { imageId: stillId },
          UpdateExpression: 'SET #analysis.#metadata.#motion = :motion',
          ConditionExpression:
            '#owner = :owner AND #status = :processed AND #analysis.#status = :processed AND attribute_exists(#analysis.#metadata)',
          ExpressionAttributeNames: {
            '#analysis': 'analysis',
            '#metadata': 'metadata',
            '#motion': 'motion',
            '#owner': 'owner',
            '#status': 'status',
          },
          ExpressionAttributeValues: { ':motion': motion, ':owner': owner, ':processed': 'PROCESSED' },
        }),
      ),
    );
  }

  async forgetUpload(imageId: string): Promise<void> {
    await unlessConditionFails(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.resultsTable,
          Key: { imageId },
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        }),
      ),
    );
  }

  async removeVideo(video: LiveVideo): Promise<void> {
    if (!this.objects) throw new Error('the Live Photos store was opened without the objects it would delete');
    await this.objects.deleteObjects(video.bucket, [video.key]);
    if (video.base !== undefined) {
      await this.unpost({ owner: video.owner, base: video.base, role: 'video', imageId: video.imageId });
    }
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: videoKey(video.imageId) }));
  }
}
