import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { GrantStore } from '../../../partners/grants';
import { placeCounts } from '../../../search/place-counts';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { S3ImageObjects } from '../../../store/image-objects';
import { coverDetails } from './covers';
import { listPlaces } from './list-places';
import { ListPlacesEnvSchema, ListPlacesQuerySchema } from './route';

const { config, tools, serve } = apiFunction('list-places', ListPlacesEnvSchema);
const client = createDocumentClient(tools.tracer);
const grants = new GrantStore(client, config.PARTNERS_TABLE);
const links = {
  client,
  tableName: config.TABLE_NAME,
  presigner: new S3ImageObjects(createS3Client(config, tools.tracer)),
  bucket: config.BUCKET_NAME,
  thumbnailSizes: config.THUMBNAIL_SIZES,
  ttlSeconds: config.DOWNLOAD_URL_TTL_SECONDS,
};

/** GET /places?owner=&partner=&limit=&cursor= → 200 `{countries: [{name, code?, count, place, cover?, regions}], cursor?}`. */
export const handler = serve(async (event, caller) => {
  const query = parseRequest(ListPlacesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listPlaces(query, caller, {
    counts: (owner, paging) => placeCounts(client, config.SEARCH_TABLE_NAME, owner, paging),
    covers: (imageIds, partnerOf) => coverDetails(imageIds, links, partnerOf),
    grant: (grantor, partner) => grants.get(grantor, partner),
  });
  tools.metrics.addMetric('PlacesListed', MetricUnit.Count, page.countries.length);
  return { statusCode: 200, body: page };
});
