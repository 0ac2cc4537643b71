import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ConflictError, TooManyRequestsError } from '../../../lambdas/shared/errors';
import { RenditionQuota, rateKey } from '../../../lambdas/store/rendition-quota';
import { imageItem } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-11-23T07:00:45.000Z');
const quota = new RenditionQuota(
  dynamo as unknown as DynamoDBDocumentClient,
  'images',
  { perMinute: 3, perImage: 2 },
  () => NOW,
);
const failed = (item?: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: item as never,
  });

beforeEach(() => dynamo.reset());

describe('countSigning', () => {
  it("adds one to the owner's counter for this minute, held to the limit, expiring a minute after it", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await quota.countSigning('alice');
    const minute = Math.floor(NOW.getTime() / 60_000);
    expect(rateKey('alice', NOW)).toEqual({ imageId: `RATE#alice#${minute}`, minute });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'images',
      Key: { imageId: `RATE#alice#${minute}` },
      ConditionExpression: 'attribute_not_exists(signings) OR signings < :limit',
      ExpressionAttributeValues: { ':one': 1, ':limit': 3, ':expires': (minute + 2) * 60 },
    });
  });

  it('answers a 429 saying when the minute ends once the counter is at the limit', async () => {
    dynamo.on(UpdateCommand).rejects(failed());
    const error = await quota.countSigning('alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).retryAfterSeconds).toBe(15);
    expect((error as Error).message).toBe(
      'renditions: 3 custom rendition URLs a minute is the most this deployment signs for one owner ' +
        '(renditionsPerMinute); try again in 15 s',
    );
  });
});

describe('admitSpec', () => {
  it('is free for a spec the image has already: no write', async () => {
    await quota.admitSpec(imageItem({ renditionSpecs: ['aaaa'] }), 'aaaa');
    expect(dynamo).toHaveReceivedCommandTimes(UpdateCommand, 0);
  });

  it("appends a new spec to the image's list, held to the cap", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await quota.admitSpec(imageItem({ renditionSpecs: ['aaaa'] }), 'bbbb');
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET renditionSpecs = list_append(if_not_exists(renditionSpecs, :none), :spec)',
      ExpressionAttributeValues: { ':none': [], ':spec': ['bbbb'], ':cap': 2, ':hash': 'bbbb' },
    });
  });

  it('refuses a new spec with a 409 naming the cap once the image has as many', async () => {
    dynamo.on(UpdateCommand).rejects(failed({ renditionSpecs: { L: [{ S: 'aaaa' }, { S: 'cccc' }] } }));
    const error = await quota.admitSpec(imageItem(), 'bbbb').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(
      /has 2 custom renditions, the most this deployment keeps of one image \(renditionsPerImage\)/,
    );
  });

  it('takes a spec another request added at the same moment as admitted', async () => {
    dynamo.on(UpdateCommand).rejects(failed({ renditionSpecs: { L: [{ S: 'aaaa' }, { S: 'bbbb' }] } }));
    await expect(quota.admitSpec(imageItem(), 'bbbb')).resolves.toBeUndefined();
  });
});
