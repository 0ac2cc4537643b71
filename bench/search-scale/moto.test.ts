import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/protocol-http';
import { countReads, emptyCount, type ReadCount } from './moto';

describe('the read counter', () => {
  /** A real client over a fake transport answering each operation with a canned body. */
  function counted(bodies: Record<string, unknown>) {
    const dynamodb = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: {
        handle: async (request: { headers: Record<string, string> }) => {
          const operation = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
          return {
            response: new HttpResponse({
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: Readable.from([Buffer.from(JSON.stringify(bodies[operation] ?? {}))]),
            }),
          };
        },
      },
    });
    let tally: ReadCount = emptyCount();
    countReads(dynamodb, () => tally);
    const reset = () => {
      tally = emptyCount();
      return tally;
    };
    return { document: DynamoDBDocumentClient.from(dynamodb), reset };
  }

  it('sums what every Query, Scan, GetItem and BatchGetItem read, and counts the requests', async () => {
    const { document, reset } = counted({
      Query: { Items: [{ imageId: { S: 'a' } }], Count: 1, ScannedCount: 7 },
      Scan: { Items: [], Count: 0, ScannedCount: 120, LastEvaluatedKey: { imageId: { S: 'z' } } },
      GetItem: { Item: { imageId: { S: 'a' } } },
      BatchGetItem: { Responses: { t: [{ imageId: { S: 'a' } }, { imageId: { S: 'b' } }] } },
    });
    const count = reset();
    await document.send(
      new QueryCommand({ TableName: 't', KeyConditionExpression: 'k = :k', ExpressionAttributeValues: { ':k': 'x' } }),
    );
    await document.send(new ScanCommand({ TableName: 't' }));
    await document.send(new GetCommand({ TableName: 't', Key: { imageId: 'a' } }));
    await document.send(new BatchGetCommand({ RequestItems: { t: { Keys: [{ imageId: 'a' }, { imageId: 'b' }] } } }));
    expect(count).toEqual({
      requests: 4,
      items: 7 + 120 + 1 + 2,
      returned: 1,
      byCommand: { QueryCommand: 1, ScanCommand: 1, GetItemCommand: 1, BatchGetItemCommand: 1 },
    });
    const next = reset();
    await document.send(new GetCommand({ TableName: 't', Key: { imageId: 'a' } }));
    expect(next.requests).toBe(1);
    expect(count.requests).toBe(4);
  });
});
