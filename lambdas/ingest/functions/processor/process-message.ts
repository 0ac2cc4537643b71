import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { SQSRecord } from 'aws-lambda';
import type { RunOutcome } from '../../../backfill/run-keys';
import type { ProcessorConfig } from './contract';
import { EventInFlightError } from './event-in-flight';
import type { Attempt, Outcome, ProcessorDeps } from './ports';
import { processSourceObject, processWatchedObject, type SourceOutcome } from './process-source';
import { processUpload } from './process-upload';
import { PoisonMessageError, parseMessage } from './s3-event';

const OUTCOME_METRIC: Record<Outcome, string> = {
  PROCESSED: 'ImagesProcessed',
  REJECTED: 'ImagesRejected',
  DUPLICATE: 'DuplicateDeliveries',
  REPUBLISHED: 'EventsRepublished',
  MISSING: 'ObjectsMissing',
  COMPANION: 'LivePhotoVideos',
};

/**
 * One SQS message: parse it, process each object it names, count what happened. Any failure is rethrown so
 * the batch processor reports this message (and only this one) as failed.
 */
export async function processMessage(
  record: SQSRecord,
  config: Pick<ProcessorConfig, 'MAX_RECEIVE_COUNT'>,
  deps: ProcessorDeps,
  tools: { logger: Logger; metrics: Metrics; tracer?: Tracer },
): Promise<void> {
  const { logger, metrics } = tools;
  const count = Number(record.attributes.ApproximateReceiveCount) || 1;
  const attempt = { count, last: count >= config.MAX_RECEIVE_COUNT, message: record.messageId };
  let parsed: ReturnType<typeof parseMessage>;
  try {
    parsed = parseMessage(record.body, deps.sources);
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
    ...(tools.tracer?.isTracingEnabled() && { aroundStep: stepSubsegments(tools.tracer, logger) }),
  };
  if (parsed.kind === 'unwatched') {
    metrics.addMetric('UnwatchedEventsSkipped', MetricUnit.Count, 1);
    logger.warn('S3 event skipped: not under a source bucket of this deployment', { reason: parsed.reason });
    return;
  }
  if (parsed.kind === 'source') {
    const { source } = parsed;
    const where = { run: source.run, bucket: source.bucket, key: source.key, attempt: count };
    await processSource(
      where,
      source.run,
      () => processSourceObject(source, attempt, withTools),
      attempt,
      withTools,
      tools,
    );
    return;
  }
  if (parsed.kind === 'watched') {
    const { watched } = parsed;
    const where = { watched: true, bucket: watched.bucket, key: watched.key, attempt: count };
    await processSource(
      where,
      undefined,
      () => processWatchedObject(watched, attempt, withTools),
      attempt,
      withTools,
      tools,
    );
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

/**
 * One object of a backfill run, or of a watched source bucket: processed as an upload is, its outcome added to the
 * run's counters when it has a run. A watched object has none: no one follows it, and a run that never ends would
 * only grow (its `queued` is never counted, so its in-flight would be meaningless); the metrics count it.
 */
async function processSource(
  where: Record<string, unknown> & { key: string },
  run: string | undefined,
  work: () => Promise<{ imageId?: string; outcome: SourceOutcome }>,
  attempt: Attempt,
  deps: ProcessorDeps,
  tools: { logger: Logger; metrics: Metrics },
): Promise<void> {
  const started = performance.now();
  let result: Awaited<ReturnType<typeof work>>;
  try {
    result = await work();
  } catch (error) {
    failed(error, attempt, where, tools);
    if (attempt.last && run) await deps.runs?.add(run, where.key, 'failed');
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
  if (run) await deps.runs?.add(run, imageId ?? where.key, RUN_OUTCOME[outcome]);
}

const RUN_OUTCOME: Record<SourceOutcome, RunOutcome> = {
  PROCESSED: 'processed',
  REJECTED: 'rejected',
  DUPLICATE: 'skipped',
  REPUBLISHED: 'skipped',
  SKIPPED: 'skipped',
  PLACEHOLDER: 'placeholders',
  MISSING: 'missing',
  COMPANION: 'skipped',
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
  if (error instanceof EventInFlightError) {
    metrics.addMetric('EventsInFlightDeferred', MetricUnit.Count, 1);
    logger.info('stored by another delivery moments ago, its event on the way: will look again', where);
    return;
  }
  metrics.addMetric(attempt.last ? 'ImagesFailed' : 'ProcessingRetries', MetricUnit.Count, 1);
  logger.error(attempt.last ? 'image failed for good; the message goes to the DLQ' : 'image failed; will retry', {
    ...where,
    error,
  });
}

/**
 * Each processing step in an X-Ray subsegment of its own (`### <step>`, as Powertools' `captureMethod` names one),
 * so a trace shows where an image's time went. They go to the X-Ray daemon with the invocation's segment: no call
 * of their own.
 */
function stepSubsegments(tracer: Tracer, logger: Logger) {
  return <T>(step: string, work: () => Promise<T>): Promise<T> =>
    tracer.provider.captureAsyncFunc(`### ${step}`, async (subsegment) => {
      try {
        return await work();
      } catch (error) {
        tracer.addErrorAsMetadata(error as Error);
        throw error;
      } finally {
        // As captureMethod does: a subsegment that cannot be closed loses its timing, never the image.
        try {
          subsegment?.close();
        } catch (error) {
          logger.warn('a step subsegment could not be closed', { step, error });
        }
      }
    }) as Promise<T>;
}
