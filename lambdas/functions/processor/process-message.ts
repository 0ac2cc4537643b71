import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import type { ProcessorConfig } from './contract';
import { type Outcome, type ProcessorDeps, processUpload } from './process-upload';
import { PoisonMessageError, parseMessage } from './s3-event';

const OUTCOME_METRIC: Record<Outcome, string> = {
  PROCESSED: 'ImagesProcessed',
  REJECTED: 'ImagesRejected',
  DUPLICATE: 'DuplicateDeliveries',
  REPUBLISHED: 'EventsRepublished',
  MISSING: 'ObjectsMissing',
};

/**
 * One SQS message: parse it, process each object it names, count what happened. Any failure is rethrown so
 * the batch processor reports this message (and only this one) as failed.
 */
export async function processMessage(
  record: SQSRecord,
  config: Pick<ProcessorConfig, 'MAX_RECEIVE_COUNT'>,
  deps: ProcessorDeps,
  tools: { logger: Logger; metrics: Metrics },
): Promise<void> {
  const { logger, metrics } = tools;
  const count = Number(record.attributes.ApproximateReceiveCount) || 1;
  const attempt = { count, last: count >= config.MAX_RECEIVE_COUNT };
  let parsed: ReturnType<typeof parseMessage>;
  try {
    parsed = parseMessage(record.body);
  } catch (error) {
    if (error instanceof PoisonMessageError) metrics.addMetric('PoisonMessages', MetricUnit.Count, 1);
    logger.error('message is not an S3 notification; SQS will retry it, then keep it in the DLQ', {
      messageId: record.messageId,
      attempt,
      error,
    });
    throw error;
  }
  if (parsed.kind === 'test-event') {
    metrics.addMetric('S3TestEventsSkipped', MetricUnit.Count, 1);
    logger.info('S3 test event skipped', { messageId: record.messageId });
    return;
  }
  for (const key of parsed.ignored) logger.warn('record ignored: not an ObjectCreated event under uploads/', { key });

  for (const notice of parsed.notices) {
    logger.setCorrelationId(notice.imageId);
    const started = performance.now();
    try {
      const outcome = await processUpload(notice, attempt, {
        ...deps,
        onNote: (message, details) => logger.warn(message, details),
        onCount: (metric, n) => metrics.addMetric(metric, MetricUnit.Count, n),
      });
      metrics.addMetric(OUTCOME_METRIC[outcome], MetricUnit.Count, 1);
      if (outcome === 'PROCESSED' || outcome === 'REJECTED') {
        metrics.addMetric('ProcessingMs', MetricUnit.Milliseconds, performance.now() - started);
      }
      logger.info('image done', { outcome, key: notice.key, attempt: count });
    } catch (error) {
      metrics.addMetric(attempt.last ? 'ImagesFailed' : 'ProcessingRetries', MetricUnit.Count, 1);
      logger.error(attempt.last ? 'image failed for good; the message goes to the DLQ' : 'image failed; will retry', {
        key: notice.key,
        attempt: count,
        error,
      });
      throw error;
    }
  }
}
