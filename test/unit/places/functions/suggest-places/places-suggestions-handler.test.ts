import { type ApiHandler, apiEvent, invoke, TEST_USER, useApiEnv } from '../../../../support/api-events';

useApiEnv();
const { handler } = require('../../../../../lambdas/places/functions/suggest-places/handler') as {
  handler: ApiHandler;
};

const get = (queryStringParameters: Record<string, string>) =>
  invoke(
    handler,
    apiEvent({
      as: TEST_USER,
      method: 'GET',
      resource: '/places/suggestions',
      path: '/places/suggestions',
      query: queryStringParameters,
    }),
  );

describe('GET /places/suggestions', () => {
  it('answers the data places whose names start with what is typed, by any of their names', async () => {
    const response = await get({ q: 'genev', limit: '5' });
    expect(response.statusCode).toBe(200);
    const { suggestions } = response.json as { suggestions: Array<{ kind: string; label: string; place: unknown }> };
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    expect(suggestions).toContainEqual(
      expect.objectContaining({
        kind: 'locality',
        label: 'Genève, Switzerland',
        place: expect.objectContaining({
          country: expect.objectContaining({ name: 'Switzerland', code: 'CH' }),
          locality: { name: 'Genève', code: '2660646', aka: ['Geneva'] },
        }),
      }),
    );
  });

  it('refuses no q and a limit out of range with a 400 naming the parameter', async () => {
    expect(await get({})).toMatchObject({ statusCode: 400, json: { message: expect.stringContaining('q') } });
    expect(await get({ q: 'gen', limit: '500' })).toMatchObject({
      statusCode: 400,
      json: { message: expect.stringContaining('limit') },
    });
  });
});
