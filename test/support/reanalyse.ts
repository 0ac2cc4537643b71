import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ImageApiClient } from '../../lambdas/cli/api-client';
import type { SharedRunner } from './runner-profiles';

/**
 * Re-analyse one image on a shared runner as `--reprocess` does: its record made to look like an older analysis
 * version's (a reprocess re-analyses only those), then a backfill of its key with reprocess, followed to its end.
 */
export async function reanalyse(runner: SharedRunner, image: { imageId: string; key: string }, waitMs: number) {
  const { ready } = runner;
  const dynamo = new DynamoDBClient({
    endpoint: ready.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await dynamo.send(
    new UpdateItemCommand({
      TableName: ready.table,
      Key: { imageId: { S: image.imageId } },
      UpdateExpression: 'SET analysisVersion = :old',
      ExpressionAttributeValues: { ':old': { S: '0.9.0' } },
    }),
  );
  const admin = new ImageApiClient(ready.apiUrl, { bearerToken: await runner.token({ user: 'root', admin: true }) });
  const started = (await admin.call('POST', '/backfills', {
    bucket: ready.bucket,
    prefix: image.key,
    reprocess: true,
  })) as { id: string };
  const deadline = Date.now() + waitMs;
  let run: { done?: boolean; processed?: number } = {};
  while (!run.done && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = (await admin.call('GET', `/backfills/${started.id}`)) as typeof run;
  }
  expect(run).toMatchObject({ done: true, processed: 1 });
}
