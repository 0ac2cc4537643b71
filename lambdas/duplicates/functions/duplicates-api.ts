import type { APIGatewayProxyEvent } from 'aws-lambda';
import { eventSinks } from '../../events/sinks';
import { createDocumentClient } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { DuplicateStore } from '../duplicate-store';
import { CLUSTER_ID_PATTERN, type DuplicatesEnv } from './duplicates-contract';

/** What every duplicates route works with, made once at load. */
export function createDuplicatesDeps(config: DuplicatesEnv, tracer?: Parameters<typeof createDocumentClient>[0]) {
  return {
    store: new DuplicateStore(createDocumentClient(tracer), config.DUPLICATES_TABLE),
    events: eventSinks({ env: config, tracer }),
    now: () => new Date().toISOString(),
  };
}

/** The `{id}` path parameter, which must be a cluster id. */
export function clusterIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !CLUSTER_ID_PATTERN.test(id)) throw new BadRequestError('id: not a cluster id');
  return id;
}
