import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import { instrument, type Powertools } from '../../../shared/powertools';
import type { ProcessorConfig } from './contract';
import type { ProcessorDeps } from './ports';
import { processMessage } from './process-message';

/**
 * The SQS handler around the use case, given its adapters: the Lambda entry point passes the real ones, the
 * local runner passes the same ones with in-process inference.
 *
 * Each message succeeds or fails alone (reportBatchItemFailures): a failed one is retried by SQS and, after the
 * redrive count, kept in the DLQ. A batch's messages run concurrently, at most `IMAGES_IN_FLIGHT` at a time: the
 * number of the largest images allowed that fit the function's memory together (settings/processing.ts).
 */
export function buildProcessorHandler(
  config: Pick<ProcessorConfig, 'MAX_RECEIVE_COUNT' | 'IMAGES_IN_FLIGHT'>,
  deps: ProcessorDeps,
  powertools: Powertools,
) {
  // A limit and a processor per invocation: they hold the batch's state, and the local runner invokes concurrently.
  const processorHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const limit = pLimit(config.IMAGES_IN_FLIGHT);
    const recordHandler = (record: SQSRecord) => limit(() => processMessage(record, config, deps, powertools));
    return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
      context,
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
  };
  return instrument(processorHandler, powertools);
}
