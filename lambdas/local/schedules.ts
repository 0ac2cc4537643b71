import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ScheduleDeclaration } from '../settings/resources';
import type { LocalEndpoint } from './api-server';

export interface LocalSchedule {
  /** `POST <localPath>`: the message now, as the stack's schedule puts one. */
  endpoint: LocalEndpoint;
  /** The message at start sent (or its failure logged). */
  sent: Promise<void>;
  stop(): void;
}

/**
 * A declared schedule (an EventBridge rule in the stack), in the runner: its message on its queue at start, every
 * `localEveryMs`, and on demand. The function behind the queue's poller does the rest, as in AWS.
 */
export function startSchedule(
  sqs: SQSClient,
  declared: ScheduleDeclaration,
  queueUrl: string,
  log: (line: string) => void,
): LocalSchedule {
  const body = JSON.stringify(declared.message);
  const send = () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  const scheduled = () => send().catch((error: Error) => log(`${declared.name} not sent: ${error.message}`));
  const sent = scheduled().then(() => undefined);
  const timer = setInterval(scheduled, declared.localEveryMs);
  timer.unref();
  return {
    endpoint: {
      method: 'POST',
      path: declared.localPath,
      jsonOnly: true,
      handle: async () => {
        await send();
        return { status: 202, body: { sent: declared.name } };
      },
    },
    sent,
    stop: () => clearInterval(timer),
  };
}
