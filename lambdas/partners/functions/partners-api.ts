import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AlbumStore } from '../../albums/album-store';
import { eventSinks } from '../../events/sinks';
import { createDocumentClient } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { OwnerSchema } from '../../store/owner';
import { GrantStore } from '../grants';
import type { PartnersDeps } from '../partners';
import type { PartnersEnv } from './partners-contract';

/** What every partner route works with, made once at load. */
export function createPartnersDeps(
  config: PartnersEnv,
  tracer?: Parameters<typeof createDocumentClient>[0],
): PartnersDeps {
  const dynamo = createDocumentClient(tracer);
  return {
    grants: new GrantStore(dynamo, config.PARTNERS_TABLE),
    albums: new AlbumStore(dynamo, config.ALBUMS_TABLE),
    events: eventSinks({ env: config, tracer }),
  };
}

/** The `{partner}` path parameter, which must be an owner id. */
export function partnerParam(event: APIGatewayProxyEvent): string {
  const parsed = OwnerSchema.safeParse(event.pathParameters?.partner ?? '');
  if (!parsed.success) throw new BadRequestError('partner: not an owner id');
  return parsed.data;
}
