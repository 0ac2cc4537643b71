import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { eventSinks } from '../../../events/sinks';
import { parseEnv } from '../../../settings/env';
import { createDocumentClient, createSqsClient } from '../../../shared/aws-clients';
import { createPowertools, instrument } from '../../../shared/powertools';
import { DeliveryLog } from '../../deliveries';
import { cachingEndpoints, handleMessage } from '../../delivery';
import { WebhookSender } from '../../destination';
import { EndpointStore } from '../../endpoints';
import { parseMessage } from '../../messages';
import { WebhookQueue } from '../../queue';
import { DeliverWebhooksEnvSchema } from './contract';

const config = parseEnv(DeliverWebhooksEnvSchema, process.env, 'deliver-webhooks');
const tools = createPowertools(config);
const dynamo = createDocumentClient(tools.tracer);
const deps = {
  endpoints: cachingEndpoints(new EndpointStore(dynamo, config.WEBHOOKS_TABLE)),
  log: new DeliveryLog(dynamo, config.WEBHOOKS_TABLE),
  sender: new WebhookSender({ loopbackPorts: config.WEBHOOK_LOOPBACK_PORTS }, config.WEBHOOK_TIMEOUT_SECONDS * 1000),
  queue: new WebhookQueue(createSqsClient(tools.tracer), config.WEBHOOK_QUEUE_URL),
  events: eventSinks({ env: config, tracer: tools.tracer }),
  settings: {
    retrySchedule: config.WEBHOOK_RETRY_SCHEDULE,
    disableAfterHours: config.WEBHOOK_DISABLE_AFTER_HOURS,
    holdAfterMinutes: config.WEBHOOK_HOLD_AFTER_MINUTES,
    logDays: config.WEBHOOK_LOG_DAYS,
  },
  now: () => new Date(),
};

/**
 * The webhooks' queue, a batch at a time, its messages at once (delivery.ts). A message fails alone only when the
 * table or SQS does (an endpoint's failure is an attempt recorded, not an error): SQS retries it, then keeps it in
 * the DLQ.
 */
export const handler = instrument(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(
      event,
      (record: SQSRecord) => handleMessage(parseMessage(record.body), deps),
      new BatchProcessor(EventType.SQS),
      { context, processInParallel: true, throwOnFullBatchFailure: false },
    ),
  tools,
);
