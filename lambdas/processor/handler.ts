import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createPowertools, instrument } from '../shared/powertools';
import { parseProcessorConfig } from './config';
import { createDeps } from './deps';
import { processMessage } from './process-message';

const config = parseProcessorConfig(process.env);
const powertools = createPowertools(config);
const deps = createDeps(config, { tracer: powertools.tracer });
const processor = new BatchProcessor(EventType.SQS);

const recordHandler = (record: SQSRecord) => processMessage(record, config, deps, powertools);

/**
 * S3 notifications from the ingest queue. Each message succeeds or fails alone (reportBatchItemFailures):
 * a failed one is retried by SQS and, after the redrive count, kept in the DLQ. Messages run one after another
 * so that several large images never share the function's memory at once.
 */
const processorHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, {
    context,
    processInParallel: false,
    throwOnFullBatchFailure: false,
  });

export const handler = instrument(processorHandler, powertools);
