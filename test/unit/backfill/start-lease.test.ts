import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { DynamoStartLeases } from '../../../lambdas/backfill/start-lease';

const dynamo = mockClient(DynamoDBDocumentClient);
const NOW = 1_800_000_000_000;
const leases = new DynamoStartLeases(
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  'Images',
  () => NOW,
);
const refused = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => dynamo.reset());

describe('DynamoStartLeases', () => {
  it("takes the bucket's lease for five seconds, only when no start holds it, and answers the bucket's last run", async () => {
    dynamo.on(UpdateCommand).resolves({ Attributes: { holder: '01OLD', until: 0, lastRun: '01LAST' } });
    await expect(leases.take('old-photos', '01NEW')).resolves.toEqual({ taken: true, lastRun: '01LAST' });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: 'Images',
      Key: { imageId: 'backfill#start#old-photos' },
      ConditionExpression: 'attribute_not_exists(#until) OR #until < :now',
      ExpressionAttributeValues: { ':holder': '01NEW', ':until': NOW + 5000, ':now': NOW },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('answers not taken while another start holds it', async () => {
    dynamo.on(UpdateCommand).rejects(refused());
    await expect(leases.take('old-photos', '01NEW')).resolves.toEqual({ taken: false });
  });

  it('gives it back, naming the run it started as the last; a lease lost meanwhile is left to its new holder', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await leases.release('old-photos', '01NEW', true);
    await leases.release('old-photos', '01NEW', false);
    const calls = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.UpdateExpression);
    expect(calls).toEqual(['SET #until = :over, lastRun = :holder', 'SET #until = :over']);
    dynamo.on(UpdateCommand).rejects(refused());
    await expect(leases.release('old-photos', '01NEW', true)).resolves.toBeUndefined();
  });
});
