import { Readable } from 'node:stream';
import { HttpResponse } from '@smithy/protocol-http';
import { createDocumentClient } from '../../../lambdas/shared/aws-clients';
import { ShareStore } from '../../../lambdas/shares/share-store';
import { useApiEnv } from '../../support/api-events';

/*
 * A view counted in one try: GET /shared/{token} counts with a client of `maxAttempts: 1`, so DynamoDB throttling the
 * count (one link opened past ~1,000 times a second) fails it at once instead of holding the view for the retries.
 */

const HASH = 'a'.repeat(64);

/** A document client whose every call DynamoDB answers "throttled", and the tries it made. */
function throttled(options: { maxAttempts?: number } = {}) {
  const client = createDocumentClient(undefined, options);
  const sent: string[] = [];
  client.config.requestHandler = {
    handle: async (request: { headers: Record<string, string> }) => {
      sent.push(request.headers['x-amz-target'] ?? '');
      const body = { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' };
      return {
        response: new HttpResponse({
          statusCode: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        }),
      };
    },
  } as never;
  return { client, sent };
}

describe('counting a view', () => {
  beforeEach(() => useApiEnv());

  it('sends it once, with the counter client, and fails at once when it is throttled', async () => {
    const main = throttled();
    const once = throttled({ maxAttempts: 1 });
    await expect(new ShareStore(main.client, 'shares', once.client).countView({ hash: HASH })).rejects.toThrow(
      /Rate exceeded/,
    );
    expect(once.sent).toEqual(['DynamoDB_20120810.UpdateItem']);
    expect(main.sent).toEqual([]);
  });
});
