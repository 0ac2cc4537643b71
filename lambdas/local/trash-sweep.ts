import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TrashMessage } from '../trash/messages';
import type { LocalEndpoint } from './api-server';

/** The runner sweeps hourly, not daily as the stack's rule: a laptop is rarely up for a whole day. */
export const LOCAL_SWEEP_EVERY_MS = 3600 * 1000;

export interface TrashSweep {
  /** `POST /_local/trash/sweep`: a sweep now, as the stack's schedule puts one (`image-intel trash purge`). */
  endpoint: LocalEndpoint;
  stop(): void;
}

/**
 * The stack's EventBridge schedule, in the runner: a `sweep` message on the trash queue at start, every
 * LOCAL_SWEEP_EVERY_MS, and on demand. The purge function behind the queue's poller does the rest, as in AWS.
 */
export function startTrashSweep(sqs: SQSClient, queueUrl: string, log: (line: string) => void): TrashSweep {
  const sweep: TrashMessage = { kind: 'sweep' };
  const send = () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(sweep) }));
  const scheduled = () => send().catch((error: Error) => log(`trash sweep not sent: ${error.message}`));
  void scheduled();
  const timer = setInterval(scheduled, LOCAL_SWEEP_EVERY_MS);
  timer.unref();
  return {
    endpoint: {
      method: 'POST',
      path: '/_local/trash/sweep',
      jsonOnly: true,
      handle: async () => {
        await send();
        return { status: 202, body: { sweeping: true } };
      },
    },
    stop: () => clearInterval(timer),
  };
}
