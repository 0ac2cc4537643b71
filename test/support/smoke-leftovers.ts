import { EventBridgeClient, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { RunnerReady } from './runner-process';

/**
 * What one `image-intel smoke` run left on the emulator: the rules on the runner's bus with smoke's prefix, and
 * the queue named on the run's subscribe line. Only that queue, since other files run smoke on the same shared
 * moto at the same time, and queues, unlike rules, are the account's, not the bus's.
 */
export async function smokeLeftovers(
  ready: Pick<RunnerReady, 'endpoint' | 'eventBus'>,
  stdout: string,
): Promise<{ subscriber?: string; rules: string[]; queues: string[] }> {
  const subscriber = /^subscribe .* queue (image-intel-smoke-[0-9a-f]{8})$/m.exec(stdout)?.[1];
  const config = {
    endpoint: ready.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const { Rules = [] } = await new EventBridgeClient(config).send(
    new ListRulesCommand({ EventBusName: ready.eventBus, NamePrefix: 'image-intel-smoke-' }),
  );
  const { QueueUrls = [] } = subscriber
    ? await new SQSClient(config).send(new ListQueuesCommand({ QueueNamePrefix: subscriber }))
    : { QueueUrls: [] };
  return { subscriber, rules: Rules.map((rule) => rule.Name ?? ''), queues: QueueUrls };
}
