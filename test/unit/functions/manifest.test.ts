import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PIPELINE_FUNCTIONS } from '../../../lambdas/functions/manifest';
import { API_FUNCTIONS, PEOPLE_API_FUNCTIONS } from '../../../lambdas/functions/routes';
import type { Use } from '../../../lambdas/functions/uses';
import { parseDeploymentSettings } from '../../../lambdas/settings';

const FUNCTIONS_DIR = path.join(__dirname, '../../../lambdas/functions');
const settings = parseDeploymentSettings({ faceGrouping: 'true' });

describe('the manifest of functions', () => {
  it('lists every function folder once: as a route of the API, or as a pipeline function', () => {
    const folders = readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const routes = [...API_FUNCTIONS, ...PEOPLE_API_FUNCTIONS].map(({ route }) => route(settings).operationId);
    const listed = [...routes, ...Object.keys(PIPELINE_FUNCTIONS)];
    expect(listed.sort()).toEqual(folders);
  });

  it('says what every function uses: none uses nothing', () => {
    const entries: [name: string, uses: readonly Use[]][] = [
      ...[...API_FUNCTIONS, ...PEOPLE_API_FUNCTIONS].map(({ route, uses }): [string, readonly Use[]] => [
        route(settings).operationId,
        uses,
      ]),
      ...Object.entries(PIPELINE_FUNCTIONS).map(([name, { uses }]): [string, readonly Use[]] => [name, uses]),
    ];
    expect(entries.filter(([, uses]) => uses.length === 0).map(([name]) => name)).toEqual([]);
  });
});
