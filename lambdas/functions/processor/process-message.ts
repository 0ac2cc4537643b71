import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import type { RunOutcome } from '../../backfill/run-keys';
import type { SourceObject } from '../../backfill/source-object';
import type { ProcessorConfig } from './contract';
import type { Attempt, Outcome, ProcessorDeps } from './ports';
import { processSourceObject, type SourceOutcome } from './process-source';
import { processUpload } from './process-upload';
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
  const withTools: ProcessorDeps = {
    ...deps,
    onNote: (message, details) => logger.warn(message, details),
    onCount: (metric, n) => metrics.addMetric(metric, MetricUnit.Count, n),
  };
  if (parsed.kind === 'source') {
    await processSource(parsed.source, attempt, withTools, tools);
    return;
  }
  for (const key of parsed.ignored) logger.warn('record ignored: not an ObjectCreated event under uploads/', { key });

  for (const notice of parsed.notices) {
    logger.setCorrelationId(notice.imageId);
    const started = performance.now();
    try {
      const outcome = await processUpload(notice, attempt, withTools);
      done(outcome, started, { key: notice.key, attempt: count }, tools);
    } catch (error) {
      failed(error, attempt, { key: notice.key, attempt: count }, tools);
      throw error;
    }
  }
}

/** One object of a backfill run: processed as an upload is, its outcome added to the run's counters. */
async function processSource(
  source: SourceObject,
  attempt: Attempt,
  deps: ProcessorDeps,
  tools: { logger: Logger; metrics: Metrics },
): Promise<void> {
  const where = { run: source.run, bucket: source.bucket, key: source.key, attempt: attempt.count };
  const started = performance.now();
  let result: Awaited<ReturnType<typeof processSourceObject>>;
  try {
    result = await processSourceObject(source, attempt, deps);
  } catch (error) {
    failed(error, attempt, where, tools);
    if (attempt.last) await deps.runs?.add(source.run, source.key, 'failed');
    throw error;
  }
  const { imageId, outcome } = result;
  if (imageId) tools.logger.setCorrelationId(imageId);
  if (outcome === 'PLACEHOLDER' || outcome === 'SKIPPED') {
    tools.metrics.addMetric(outcome === 'PLACEHOLDER' ? 'PlaceholdersSkipped' : 'BackfillSkipped', MetricUnit.Count, 1);
    tools.logger.info(outcome === 'PLACEHOLDER' ? 'folder placeholder skipped' : 'already current: skipped', where);
  } else {
    done(outcome, started, where, tools);
  }
  await deps.runs?.add(source.run, imageId ?? source.key, RUN_OUTCOME[outcome]);
}

const RUN_OUTCOME: Record<SourceOutcome, RunOutcome> = {
  PROCESSED: 'processed',
  REJECTED: 'rejected',
  DUPLICATE: 'skipped',
  REPUBLISHED: 'skipped',
  SKIPPED: 'skipped',
  PLACEHOLDER: 'placeholders',
  MISSING: 'missing',
};

function done(
  outcome: Outcome,
  started: number,
  where: Record<string, unknown>,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): void {
  metrics.addMetric(OUTCOME_METRIC[outcome], MetricUnit.Count, 1);
  if (outcome === 'PROCESSED' || outcome === 'REJECTED') {
    metrics.addMetric('ProcessingMs', MetricUnit.Milliseconds, performance.now() - started);
  }
  logger.info('image done', { outcome, ...where });
}

function failed(
  error: unknown,
  attempt: Attempt,
  where: Record<string, unknown>,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): void {
  metrics.addMetric(attempt.last ? 'ImagesFailed' : 'ProcessingRetries', MetricUnit.Count, 1);
  logger.error(attempt.last ? 'image failed for good; the message goes to the DLQ' : 'image failed; will retry', {
    ...where,
    error,
  });
}
