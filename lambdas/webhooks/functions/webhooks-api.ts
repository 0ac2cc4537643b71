import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createDocumentClient, createSqsClient } from '../../shared/aws-clients';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import type { Caller } from '../../store/owner';
import { DeliveryLog } from '../deliveries';
import type { WebhookEndpoint } from '../endpoint';
import { EndpointStore } from '../endpoints';
import { WebhookQueue } from '../queue';
import { ENDPOINT_ID_PATTERN } from '../schemas';
import { ALL_OWNERS } from '../table-design';
import type { WebhookEndpointAnswer, WebhooksApiEnv } from './webhooks-contract';

/*
 * What the webhook routes run with (their description is webhooks-contract.ts): the stores, the `{id}` they take,
 * the endpoint as they answer it, and who may touch an endpoint.
 */

/** The `{id}` path parameter, which must be an endpoint id. */
export function endpointIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !ENDPOINT_ID_PATTERN.test(id)) throw new BadRequestError('id: not a webhook endpoint id');
  return id;
}

export function endpointAnswer(endpoint: WebhookEndpoint, now = new Date()): WebhookEndpointAnswer {
  const { endpointId, url, description, eventTypes, enabled, disabledReason, failingSince } = endpoint;
  const previous = endpoint.secrets
    .map(({ expiresAt }) => expiresAt)
    .filter((expiresAt): expiresAt is string => expiresAt !== undefined && Date.parse(expiresAt) > now.getTime())
    .sort()
    .at(-1);
  return {
    endpointId,
    url,
    description,
    eventTypes,
    allOwners: endpoint.owner === ALL_OWNERS,
    enabled,
    ...(disabledReason && { disabledReason }),
    ...(failingSince && { failingSince }),
    ...(previous && { previousSecretExpiresAt: previous }),
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** What every webhook route works with, made once at load. */
export function createWebhookDeps(config: WebhooksApiEnv) {
  const dynamo = createDocumentClient();
  return {
    endpoints: new EndpointStore(dynamo, config.WEBHOOKS_TABLE),
    log: new DeliveryLog(dynamo, config.WEBHOOKS_TABLE),
    queue: new WebhookQueue(createSqsClient(), config.WEBHOOK_QUEUE_URL),
  };
}

/**
 * The endpoint, if the caller may manage it: their own, or any with admin rights. Another owner's is a 404, as if it
 * did not exist.
 */
export async function endpointFor(
  endpoints: Pick<EndpointStore, 'get'>,
  caller: Caller,
  endpointId: string,
): Promise<WebhookEndpoint> {
  const endpoint = await endpoints.get(endpointId, true);
  if (!endpoint || (endpoint.owner !== caller.owner && !caller.admin)) {
    throw new NotFoundError(`webhook endpoint ${endpointId} not found`);
  }
  return endpoint;
}
