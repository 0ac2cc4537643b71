import { functionEnvironments } from '../../../lambdas/local/environments';
import { apiRoutes } from '../../../lambdas/local/handlers';
import { apiRoutesFor } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { useApiEnv } from '../../support/api-events';
import { localResources, localServices } from '../../support/local-resources';

describe('the runner’s API routes', () => {
  // Loading every route's handler (none is invoked) needs its variables: the environment the runner would give them.
  beforeAll(() => {
    const settings = parseDeploymentSettings({});
    useApiEnv(functionEnvironments(localResources('run', settings), localServices('run'), settings));
  });

  it('are the routes lambdas/manifest/routes.ts declares, each served by its function’s own handler', async () => {
    const settings = parseDeploymentSettings({});
    const served = await apiRoutes(settings);
    expect(served.map(({ method, resource, functionName }) => [method, resource, functionName])).toEqual(
      apiRoutesFor(settings)
        .map((declare) => declare(settings))
        .map(({ method, path, operationId }) => [method, path, operationId]),
    );
    // Each loaded by its first request, from its function's own handler file.
    const getImage = served.find((route) => route.functionName === 'get-image');
    expect(getImage?.handlerFile).toBe(require.resolve('../../../lambdas/images/functions/get-image/handler'));
    for (const route of served) expect(route.handlerFile).toMatch(/\/lambdas\/[^/]+\/functions\/[^/]+\/handler\.ts$/);
  });

  it('serve no people route with face grouping off: /people is a 404, as on a deployment without it', async () => {
    const served = await apiRoutes(parseDeploymentSettings({}));
    expect(served.filter(({ resource }) => resource.startsWith('/people'))).toEqual([]);
  });

  it('add the people routes with face grouping on: eight under /people, two under /images/{id}/faces', () => {
    const on = apiRoutesFor(parseDeploymentSettings({ faceGrouping: 'true' }));
    const settings = parseDeploymentSettings({});
    const people = on.map((declare) => declare(settings)).filter(({ path }) => path.startsWith('/people'));
    expect(people.map(({ method, path, operationId }) => `${method} ${path} ${operationId}`)).toEqual([
      'GET /people list-people',
      'GET /people/{id} get-person',
      'PATCH /people/{id} rename-person',
      'POST /people/{id}/merge merge-people',
      'DELETE /people/{id}/images/{imageId} remove-person-faces',
      'DELETE /people/{id} delete-person',
      'GET /people/suggestions list-merge-suggestions',
      'POST /people/suggestions/dismiss dismiss-merge-suggestion',
    ]);
    expect(on.length).toBe(apiRoutesFor(settings).length + 10);
  });
});
