import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { instrument, type Powertools } from '../../shared/powertools';
import type { ProcessorConfig } from './contract';
import { processMessage } from './process-message';
import type { ProcessorDeps } from './process-upload';

/**
 * The SQS handler around the use case, given its adapters: the Lambda entry point passes the real ones, the
 * local runner passes the same ones with in-process inference.
 *
 * Each message succeeds or fails alone (reportBatchItemFailures): a failed one is retried by SQS and, after the
 * redrive count, kept in the DLQ. Messages run one after another so that several large images never share the
 * function's memory at once.
 */
export function buildProcessorHandler(
  config: Pick<ProcessorConfig, 'MAX_RECEIVE_COUNT'>,
  deps: ProcessorDeps,
  powertools: Powertools,
) {
  const recordHandler = (record: SQSRecord) => processMessage(record, config, deps, powertools);
  // A processor per invocation: it holds the batch's state, and the local runner invokes concurrently.
  const processorHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  return instrument(processorHandler, powertools);
}
