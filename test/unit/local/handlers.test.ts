import { API_ROUTES } from '../../../lambdas/functions/routes';
import { apiRoutes } from '../../../lambdas/local/handlers';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { useApiEnv } from '../../support/api-events';

describe('the runner’s API routes', () => {
  beforeAll(() => useApiEnv());

  it('are the routes lambdas/functions/routes.ts declares, each served by its function’s own handler', async () => {
    const settings = parseDeploymentSettings({});
    const served = await apiRoutes(settings);
    expect(served.map(({ method, resource, functionName }) => [method, resource, functionName])).toEqual(
      API_ROUTES.map((declare) => declare(settings)).map(({ method, path, operationId }) => [
        method,
        path,
        operationId,
      ]),
    );
    const getImage = served.find((route) => route.functionName === 'get-image');
    expect(getImage?.handler).toBe((await import('../../../lambdas/functions/get-image/handler')).handler);
  });
});
