import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { testEndpoint } from '../../support/shared-moto';

/*
 * The emulator's SendMessage reads only the attribute it needs (moto-launcher.ts), not the queue's every attribute
 * (three of them passes over its messages): what a send does is unchanged, a FIFO queue's deduplication among it,
 * and the counts asked for afterwards are still counted.
 */

const sqs = new SQSClient({
  endpoint: testEndpoint(),
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const name = (kind: string) => `moto-sends-${kind}-${randomUUID().slice(0, 8)}`;
const count = async (QueueUrl: string) => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages);
};

it('puts each message on a queue that already holds many, and counts them all', async () => {
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name('held') }));
  for (let i = 0; i < 30; i += 1) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `event ${i}` }));

  expect(await count(QueueUrl)).toBe(30);
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages.map((message) => message.Body)).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i}`));
});

it('deduplicates by content on a FIFO queue that says so', async () => {
  const { QueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name('content')}.fifo`,
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
    }),
  );
  for (const MessageBody of ['same', 'same', 'other']) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: 'g' }));
  }

  expect(await count(QueueUrl)).toBe(2);
});

it('refuses a FIFO send with no deduplication id where the queue does not deduplicate by content', async () => {
  const { QueueUrl = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name('ids')}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );

  await expect(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' }))).rejects.toThrow(
    /ContentBasedDeduplication/,
  );
  await sqs.send(
    new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: '1' }),
  );
  expect(await count(QueueUrl)).toBe(1);
});
