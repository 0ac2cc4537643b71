import { apiFunctionsFor, handlerModule } from '../../../lambdas/manifest/routes';
import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import { useApiEnv } from '../../support/api-events';

/** Load a handler module fresh, as a cold start does. */
function coldStart(handler: string): void {
  const fn = apiFunctionsFor({ faceGrouping: true, webhooks: true }).find(
    (each) => each.route(DEFAULT_SETTINGS).operationId === handler,
  );
  if (!fn) throw new Error(`no API function ${handler}`);
  jest.isolateModules(() => {
    require(`../../../lambdas/${handlerModule(fn, DEFAULT_SETTINGS)}`);
  });
}

describe('API handlers at cold start', () => {
  // One cold start a handler (each takes a fresh module graph, AWS SDK included): every variable it is missing named.
  it.each([
    ['create-upload', ['BUCKET_NAME', 'MAX_UPLOAD_BYTES', 'ALLOWED_TYPES']],
    ['list-images', ['TABLE_NAME']],
    ['get-image', ['BUCKET_NAME']],
    ['delete-image', ['EVENT_BUS_NAME']],
    ['correct-labels', ['SEARCH_TABLE_NAME', 'EVENT_BUS_NAME']],
    ['reown-image', ['INGEST_QUEUE_URL']],
    ['start-backfill', ['BACKFILL_STATE_MACHINE_ARN', 'SOURCE_BUCKETS']],
    ['list-backfills', ['BACKFILL_STATE_MACHINE_ARN']],
    ['get-backfill', ['BACKFILL_STATE_MACHINE_ARN']],
    // The people routes exist only with the people table (faceGrouping on).
    ['list-people', ['PEOPLE_TABLE']],
    ['get-person', ['PEOPLE_TABLE']],
    ['rename-person', ['PEOPLE_TABLE']],
    ['merge-people', ['PEOPLE_TABLE']],
    ['remove-person-faces', ['PEOPLE_TABLE']],
    ['assign-face', ['PEOPLE_TABLE']],
    ['draw-face', ['PEOPLE_TABLE']],
    ['delete-person', ['PEOPLE_TABLE']],
    ['list-merge-suggestions', ['PEOPLE_TABLE']],
    ['dismiss-merge-suggestion', ['PEOPLE_TABLE']],
  ])('%s fails naming each of %j when they are missing', (handler, variables) => {
    useApiEnv();
    for (const variable of variables) delete process.env[variable];
    let message = '';
    try {
      coldStart(handler);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^invalid environment for ${handler}: `));
    for (const variable of variables) expect(message).toMatch(new RegExp(`(: |; )${variable}: `));
  });

  it('refuses ALLOWED_TYPES with a type the pipeline cannot analyse', () => {
    useApiEnv({ ALLOWED_TYPES: 'image/jpeg,image/svg+xml' });
    expect(() => coldStart('create-upload')).toThrow(/ALLOWED_TYPES/);
  });

  it('refuses a log level Powertools does not know', () => {
    useApiEnv({ POWERTOOLS_LOG_LEVEL: 'VERBOSE' });
    expect(() => coldStart('list-images')).toThrow(/POWERTOOLS_LOG_LEVEL/);
  });

  it.each([
    'create-upload',
    'list-images',
    'get-image',
    'delete-image',
    'correct-labels',
    'reown-image',
    'start-backfill',
    'list-backfills',
    'get-backfill',
  ])('%s loads with the environment the stack wires, CORS_ORIGINS empty', (handler) => {
    useApiEnv({ CORS_ORIGINS: '' });
    expect(() => coldStart(handler)).not.toThrow();
  });
});
