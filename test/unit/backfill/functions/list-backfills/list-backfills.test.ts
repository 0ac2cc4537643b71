import { InvalidToken, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { sourcesOf } from '../../../../../lambdas/backfill/functions/list-backfills/list-backfills';
import {
  ADMIN_USER,
  type ApiHandler,
  apiEvent,
  invoke,
  TEST_USER,
  type TestIdentity,
  useApiEnv,
} from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/backfill/functions/list-backfills/handler') as {
  handler: ApiHandler;
};

const sfn = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:images-backfill';

const list = (query?: Record<string, string>, as: TestIdentity = ADMIN_USER) =>
  invoke(handler, apiEvent({ as, method: 'GET', resource: '/backfills', path: '/backfills', query }));

describe('GET /backfills', () => {
  beforeEach(() => {
    sfn.reset();
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: 'arn:b',
          stateMachineArn: STATE_MACHINE,
          name: '01JD5Y4ZQK8V3N2M1B0C9X8W7V',
          status: 'RUNNING',
          startDate: new Date('2026-11-23T10:05:00Z'),
        },
        {
          executionArn: 'arn:a',
          stateMachineArn: STATE_MACHINE,
          name: '01JD5Y0000000000000000000A',
          status: 'SUCCEEDED',
          startDate: new Date('2026-11-23T10:00:00Z'),
          stopDate: new Date('2026-11-23T10:01:00Z'),
        },
      ],
      nextToken: 'token-2',
    });
  });

  it("answers the state machine's runs as ListExecutions orders them, newest first, with the next page's cursor", async () => {
    const response = await list();
    expect(response.statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE, maxResults: 20 });
    expect(response.json).toEqual({
      items: [
        { id: '01JD5Y4ZQK8V3N2M1B0C9X8W7V', status: 'RUNNING', startedAt: '2026-11-23T10:05:00.000Z' },
        {
          id: '01JD5Y0000000000000000000A',
          status: 'SUCCEEDED',
          startedAt: '2026-11-23T10:00:00.000Z',
          stoppedAt: '2026-11-23T10:01:00.000Z',
        },
      ],
      next: 'token-2',
      sources: expect.any(Array),
    });
    // The pipeline's own uploads first; the test settings' sourceBuckets entries after it.
    const { sources } = response.json as { sources: Array<{ bucket: string; prefix: string }> };
    expect(sources[0]?.prefix).toBe('uploads/');
    expect(sources.length).toBeGreaterThan(1);
  });

  it("says where a backfill may read: the pipeline's uploads, then each sourceBuckets entry with its owner", () => {
    expect(
      sourcesOf({
        pipelineBucket: 'images',
        sources: [
          { bucket: 'old-photos', prefix: '' },
          { bucket: 'archive', prefix: 'scans/', owner: 'alice' },
        ],
      }),
    ).toEqual([
      { bucket: 'images', prefix: 'uploads/' },
      { bucket: 'old-photos', prefix: '' },
      { bucket: 'archive', prefix: 'scans/', owner: 'alice' },
    ]);
  });

  it('passes next back to Step Functions and caps limit at 100', async () => {
    await list({ limit: '500', next: 'token-2' });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { maxResults: 100, nextToken: 'token-2' });
  });

  it('answers 400 for a cursor Step Functions does not take, or a bad limit', async () => {
    sfn.on(ListExecutionsCommand).rejects(new InvalidToken({ message: 'Invalid Token', $metadata: {} }));
    expect(await list({ next: 'forged' })).toMatchObject({
      statusCode: 400,
      json: { message: expect.stringMatching(/^next: /) },
    });
    expect((await list({ limit: '0' })).statusCode).toBe(400);
    expect((await list({ since: 'x' })).statusCode).toBe(400);
  });

  it('answers 403 to anyone but an admin', async () => {
    expect((await list(undefined, TEST_USER)).statusCode).toBe(403);
    expect(sfn).not.toHaveReceivedCommand(ListExecutionsCommand);
  });
});
