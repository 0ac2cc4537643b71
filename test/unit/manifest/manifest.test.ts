import { ALL_PIPELINE_FUNCTIONS } from '../../../lambdas/manifest/manifest';
import { API_FUNCTIONS, ROOM_API_FUNCTIONS } from '../../../lambdas/manifest/routes';
import type { Use } from '../../../lambdas/manifest/uses';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { functionFolders } from '../../support/source-files';

const settings = parseDeploymentSettings({ faceGrouping: 'true' });

describe('the manifest of functions', () => {
  it('lists every function folder once, in its room: as a route of the API, or as a pipeline function', () => {
    const routes = [...API_FUNCTIONS, ...ROOM_API_FUNCTIONS].map(
      ({ room, route }) => `${room}/functions/${route(settings).operationId}`,
    );
    const pipeline = Object.entries(ALL_PIPELINE_FUNCTIONS).map(([name, { room }]) => `${room}/functions/${name}`);
    expect([...routes, ...pipeline].sort()).toEqual(functionFolders());
  });

  it('says what every function uses: none uses nothing but a route that reads its bundled data alone', () => {
    const entries: [name: string, uses: readonly Use[]][] = [
      ...[...API_FUNCTIONS, ...ROOM_API_FUNCTIONS]
        // The places suggestions read the places data beside their bundle and no resource of the deployment.
        .filter(({ bundledData, uses }) => !(bundledData && uses.length === 0))
        .map(({ route, uses }): [string, readonly Use[]] => [route(settings).operationId, uses]),
      ...Object.entries(ALL_PIPELINE_FUNCTIONS).map(([name, { uses }]): [string, readonly Use[]] => [name, uses]),
    ];
    expect(entries.filter(([, uses]) => uses.length === 0).map(([name]) => name)).toEqual([]);
    const dataAlone = ROOM_API_FUNCTIONS.filter(({ bundledData, uses }) => bundledData && uses.length === 0);
    expect(dataAlone.map(({ route }) => route(settings).operationId)).toEqual(['suggest-places']);
  });
});
