import type { Use } from '../../../lambdas/kit/uses';
import { ALL_PIPELINE_FUNCTIONS } from '../../../lambdas/manifest/manifest';
import { declaredFor } from '../../../lambdas/manifest/resources';
import { API_FUNCTIONS, ROOM_API_FUNCTIONS } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { functionFolders } from '../../support/source-files';

const settings = parseDeploymentSettings({ faceGrouping: 'true' });

/** A route that uses nothing of the deployment but the data bundled beside it. */
const dataAlone = (fn: { uses: readonly Use[] }) =>
  'bundledData' in fn && fn.bundledData !== undefined && fn.uses.length === 0;

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
        .filter((fn) => !dataAlone(fn))
        .map(({ route, uses }): [string, readonly Use[]] => [route(settings).operationId, uses]),
      ...Object.entries(ALL_PIPELINE_FUNCTIONS).map(([name, { uses }]): [string, readonly Use[]] => [name, uses]),
    ];
    expect(entries.filter(([, uses]) => uses.length === 0).map(([name]) => name)).toEqual([]);
    const alone = [...API_FUNCTIONS, ...ROOM_API_FUNCTIONS].filter(dataAlone);
    expect(alone.map(({ route }) => route(settings).operationId)).toEqual(['suggest-places']);
  });
});

describe('declaredFor', () => {
  it('answers the tables and queues a setting turns off apart from those the deployment has', () => {
    const on = declaredFor(parseDeploymentSettings({}));
    const off = declaredFor(parseDeploymentSettings({ webhooks: 'false' }));
    expect(on.off.map((one) => one.name)).not.toContain('webhooks');
    expect(off.off.map((one) => one.name)).toEqual(expect.arrayContaining(['webhooks']));
    expect(off.tables.map((one) => one.name)).not.toContain('webhooks');
    expect(off.tables.length + off.queues.length + off.off.length).toBe(
      on.tables.length + on.queues.length + on.off.length,
    );
  });
});
