import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiFunction, parseRequest } from '../../../api/http';
import { openGeocoder } from '../../open';
import { SuggestPlacesEnvSchema, SuggestPlacesQuerySchema } from './route';

const { tools, serve } = apiFunction('suggest-places', SuggestPlacesEnvSchema);
const geocoder = openGeocoder();

/** GET /places/suggestions?q=&limit= → 200 `{suggestions: [{kind, label, place, population?}]}`. */
export const handler = serve(async (event) => {
  const { q, limit } = parseRequest(SuggestPlacesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const suggestions = geocoder.suggest(q, limit);
  tools.metrics.addMetric('PlaceSuggestions', MetricUnit.Count, suggestions.length);
  return { statusCode: 200, body: { suggestions } };
});
