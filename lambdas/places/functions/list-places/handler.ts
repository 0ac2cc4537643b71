import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { placeCounts } from '../../../search/place-counts';
import { createDocumentClient } from '../../../shared/aws-clients';
import { listPlaces } from './list-places';
import { ListPlacesEnvSchema, ListPlacesQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-places', ListPlacesEnvSchema);
const client = createDocumentClient(tools.tracer);

/** GET /places?owner=&limit=&cursor= → 200 `{countries: [{name, code?, count, place, regions}], cursor?}`. */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(ListPlacesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listPlaces(query, caller, {
    counts: (owner, paging) => placeCounts(client, config.SEARCH_TABLE_NAME, owner, paging),
  });
  tools.metrics.addMetric('PlacesListed', MetricUnit.Count, page.countries.length);
  return { statusCode: 200, body: page };
});
