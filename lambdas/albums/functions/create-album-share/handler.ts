import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, jsonBody, parseRequest } from '../../../api/http';
import { eventSinks } from '../../../events/sinks';
import { createDocumentClient } from '../../../shared/aws-clients';
import { shareAlbum } from '../../../shares/create-share';
import { ShareStore } from '../../../shares/share-store';
import { AlbumStore } from '../../album-store';
import { albumIdParam } from '../album-api';
import { apiUrlOf, shareUrlOf } from '../share-contract';
import { ShareRequestSchema } from '../share-schemas';
import { CreateAlbumShareEnvSchema } from './route';

const { config, tools, serve } = apiFunction('create-album-share', CreateAlbumShareEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const shares = new ShareStore(dynamo, config.SHARES_TABLE);
const albums = new AlbumStore(dynamo, config.ALBUMS_TABLE);
const events = eventSinks({ env: config, tracer: tools.tracer });

/** POST /albums/{id}/shares → 201 `{token, url, share}`; `Share Created`. */
export const handler = serve(async (event, caller) => {
  const albumId = albumIdParam(event);
  tools.logger.appendKeys({ albumId });
  const request = parseRequest(ShareRequestSchema, jsonBody(event), 'body');
  const urlOf = shareUrlOf(config.WEB_APP_URL, apiUrlOf(event));
  const created = await shareAlbum(albumId, request, caller, { shares, albums, events, urlOf });
  tools.metrics.addMetric('SharesCreated', MetricUnit.Count, 1);
  return { statusCode: 201, body: created };
});
