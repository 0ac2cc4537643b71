import { availableParallelism } from 'node:os';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { DECLARED_QUEUES } from '../manifest/resources';
import type { DeploymentSettings } from '../settings';
import { asFunction } from './aws-calls';
import { queueConsumer } from './handlers';
import { Poller, type PollerStats } from './poller';
import type { LocalQueue, PipelineResources } from './resources';

export interface QueuePollerOptions {
  sqs: SQSClient;
  resources: PipelineResources;
  settings: DeploymentSettings;
  /** Batches of the ingest queue processed at once (the runner's `processing.concurrency`). */
  ingestConcurrency: number;
  retryDelaySeconds: number;
  log: (line: string) => void;
}

/** Each declared queue's poller (the stack's event source) by the queue's name, with its consumer's name. */
export type QueuePollers = Record<string, { poller: Poller; consumer: string }>;

/**
 * Each declared queue's consumer fed as the stack's event source feeds it, from the queue's declaration in
 * lambdas/manifest/resources.ts: its batch size and window, its timeout, its redrive, and at most this machine's
 * cores at once (in Lambda each batch has its own).
 */
export function queuePollers(options: QueuePollerOptions): QueuePollers {
  const { resources, settings } = options;
  return Object.fromEntries(
    DECLARED_QUEUES.filter((declared) => resources.queues[declared.name]).map((declared) => {
      const queue = resources.queues[declared.name] as LocalQueue;
      const { consumer } = declared;
      const poller = new Poller({
        sqs: options.sqs,
        queueUrl: queue.url,
        queueArn: queue.arn,
        handler: queueConsumer(consumer.function),
        concurrency:
          declared.name === INGEST_QUEUE.name
            ? options.ingestConcurrency
            : Math.min(consumer.concurrency?.(settings) ?? 1, availableParallelism()),
        batchSize: consumer.batchSize(settings),
        batchWindowSeconds: consumer.batchWindowSeconds?.(settings) ?? 0,
        timeoutMs: consumer.timeoutSeconds(settings) * 1000,
        retryDelaySeconds: options.retryDelaySeconds,
        maxReceiveCount: declared.redrive.maxReceiveCount,
        log: options.log,
      });
      return [declared.name, { poller, consumer: consumer.function }];
    }),
  );
}

/**
 * Start polling, each poller as its consumer (the event source mapping reads and deletes a queue's messages with
 * its consumer's role). Without the processor, uploads stay PENDING, their notices waiting in the ingest queue.
 */
export function startPolling(pollers: QueuePollers, processor: boolean): void {
  for (const [name, { poller, consumer }] of Object.entries(pollers)) {
    if (name !== INGEST_QUEUE.name || processor) asFunction(consumer, () => poller.start());
  }
}

/** Every poller's counts by its queue's name, the ingest queue's as `poller`: the name every commit's benches read. */
export function pollerStats(pollers: QueuePollers): Record<string, PollerStats> {
  return Object.fromEntries(
    Object.entries(pollers).map(([name, { poller }]) => [
      name === INGEST_QUEUE.name ? 'poller' : name,
      { ...poller.stats },
    ]),
  );
}
