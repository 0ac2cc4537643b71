import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as getBackfill from '../../lambdas/backfill/functions/get-backfill/route';
import * as listBackfills from '../../lambdas/backfill/functions/list-backfills/route';
import * as startBackfill from '../../lambdas/backfill/functions/start-backfill/route';
import * as correctLabels from '../../lambdas/images/functions/correct-labels/route';
import * as createUpload from '../../lambdas/images/functions/create-upload/route';
import * as getImage from '../../lambdas/images/functions/get-image/route';
import * as listImages from '../../lambdas/images/functions/list-images/route';
import * as reownImage from '../../lambdas/images/functions/reown-image/route';
import { mergeEnvironments } from '../../lambdas/local/environments';
import { cleanupEnvironment } from '../../lambdas/manifest/cleanups';
import { DECLARED_TABLES, type DeclaredWiring } from '../../lambdas/manifest/resources';
import * as createRendition from '../../lambdas/renditions/functions/create-rendition/route';
import * as similarImages from '../../lambdas/search/functions/similar-images/route';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { mergeWiring } from '../../lambdas/settings/resources';
import * as deleteImage from '../../lambdas/trash/functions/delete-image/route';
import * as emptyTrash from '../../lambdas/trash/functions/empty-trash/route';
import * as restoreImage from '../../lambdas/trash/functions/restore-image/route';
import { TEST_USER, type TestIdentity } from './identities';

export { ADMIN_USER, OTHER_USER, TEST_USER, type TestIdentity } from './identities';

/**
 * Typed API Gateway (REST API, proxy integration) events for the API handlers, and the environment they load
 * with. Handlers read their environment at import, so a test calls `useApiEnv()` and only then `require`s one.
 */

/** The settings the API tests run with: a small limit, three types, two browser origins. */
const TEST_SETTINGS = parseDeploymentSettings({
  maxUploadBytes: 10 * 1024 * 1024,
  allowedTypes: 'image/jpeg,image/png,image/webp',
  uploadUrlTtlSeconds: 600,
  corsOrigins: 'https://app.example.com,https://admin.example.com',
  sourceBuckets: 'old-photos,archive.example/2019/=alice',
});

/**
 * Every table the rooms declare that each deployment has (those a feature turns on aside), named `images-<name>`, as
 * the stack's wiring holds them: a new room's table needs no line here.
 */
const declaredTables = mergeWiring(
  DECLARED_TABLES.filter((table) => !table.when).map((table) => table.wiring(`images-${table.name}`)),
) as DeclaredWiring;

const wiring = {
  ...declaredTables,
  tableName: 'images-table',
  searchTableName: 'images-search',
  bucketName: 'images-bucket',
  eventBusName: 'images-bus',
  signingSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rendition-signing-AbCdEf',
  renditionsUrl: 'https://renditions.example.com',
  backfillStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:images-backfill',
  ingestQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/images-ingest',
  trashQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/images-trash',
};

/**
 * What the stack wires into the API functions (made by each function's own contract, as the stack does), with
 * fake credentials so the presigners can sign offline.
 */
export const API_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  ...mergeEnvironments({
    'create-upload': createUpload.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'list-images': listImages.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'get-image': getImage.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'delete-image': deleteImage.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'similar-images': similarImages.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'correct-labels': correctLabels.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'reown-image': reownImage.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'create-rendition': createRendition.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'start-backfill': startBackfill.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'list-backfills': listBackfills.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'get-backfill': getBackfill.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'restore-image': restoreImage.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    'empty-trash': emptyTrash.environmentFor({ ...wiring, settings: TEST_SETTINGS }),
    // What the registry adds to the trash's functions: the variables of the rooms' cleanups.
    cleanups: cleanupEnvironment({ ...wiring, settings: TEST_SETTINGS }, 'purge', 'trash'),
  }),
  POWERTOOLS_SERVICE_NAME: 'image-intel-test',
  POWERTOOLS_METRICS_NAMESPACE: 'ImageIntelTest',
  // Dev mode logs through the global console (so tests can read it) and keeps metrics off stdout.
  POWERTOOLS_DEV: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

/** Set the API environment (plus overrides) and clear anything from the host that would redirect the SDK. */
export function useApiEnv(overrides: Record<string, string> = {}): void {
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_EXECUTION_ENV']) {
    delete process.env[name];
  }
  Object.assign(process.env, API_ENV, overrides);
}

export interface ApiRequest {
  /** The verified caller; `null`: none (what only a misconfigured method would let through). Default TEST_USER. */
  as?: TestIdentity | null;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as API Gateway names it, e.g. `/images/{id}`. */
  resource: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
  isBase64Encoded?: boolean;
}

export function apiEvent(request: ApiRequest): APIGatewayProxyEvent {
  const body =
    request.body === undefined ? null : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  // A body goes as JSON, as every client of the API sends it, unless the test names another type.
  const typed = Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'content-type');
  const headers = {
    Host: 'api.example.com',
    ...(body !== null && !typed && { 'Content-Type': 'application/json' }),
    ...request.headers,
  };
  const multi = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value]]));
  return {
    httpMethod: request.method,
    resource: request.resource,
    path: request.path,
    pathParameters: request.pathParameters ?? null,
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: request.query ? multi(request.query) : null,
    headers,
    multiValueHeaders: multi(headers),
    body,
    isBase64Encoded: request.isBase64Encoded ?? false,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api123',
      authorizer: authorizerFor(request.as === undefined ? TEST_USER : request.as),
      httpMethod: request.method,
      identity: { sourceIp: '203.0.113.7', userAgent: 'jest' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: 'request-1',
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: request.resource,
      stage: 'prod',
    },
  };
}

/** The REST API's Cognito authorizer context: the token's claims, every value a string. */
function authorizerFor(identity: TestIdentity | null): APIGatewayProxyEvent['requestContext']['authorizer'] {
  if (identity === null) return null;
  const claims: Record<string, string> = {
    sub: identity.sub,
    'cognito:username': identity.sub,
    token_use: 'id',
    aud: 'test-client',
    iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST',
  };
  if (identity.groups !== undefined) claims['cognito:groups'] = identity.groups;
  return { claims };
}

export const createUploadEvent = (body: unknown, headers?: Record<string, string>, as?: TestIdentity | null) =>
  apiEvent({ method: 'POST', resource: '/uploads', path: '/uploads', body, headers, as });

export const listImagesEvent = (
  query?: Record<string, string>,
  headers?: Record<string, string>,
  as?: TestIdentity | null,
) => apiEvent({ method: 'GET', resource: '/images', path: '/images', query, headers, as });

export const getImageEvent = (id: string, headers?: Record<string, string>, as?: TestIdentity | null) =>
  apiEvent({ method: 'GET', resource: '/images/{id}', path: `/images/${id}`, pathParameters: { id }, headers, as });

export const deleteImageEvent = (id: string, headers?: Record<string, string>, as?: TestIdentity | null) =>
  apiEvent({ method: 'DELETE', resource: '/images/{id}', path: `/images/${id}`, pathParameters: { id }, headers, as });

/** `PATCH /images/{id}/labels` with a body (sent as JSON unless a string). */
export const correctLabelsEvent = (id: string, body: unknown, as?: TestIdentity | null) =>
  apiEvent({
    method: 'PATCH',
    resource: '/images/{id}/labels',
    path: `/images/${id}/labels`,
    pathParameters: { id },
    headers: { 'Content-Type': 'application/json' },
    body,
    as,
  });

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'api-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:api-test',
  memoryLimitInMB: '256',
  awsRequestId: 'lambda-request-1',
  logGroupName: '/aws/lambda/api-test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

/** An API handler as middy exports it. */
export type ApiHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
  opts: { signal: AbortSignal },
) => Promise<APIGatewayProxyResult>;

export interface ApiResponse extends APIGatewayProxyResult {
  /** The body parsed as JSON (undefined when empty). */
  json: unknown;
}

/** Invoke as Lambda would and parse the JSON body. */
export async function invoke(handler: ApiHandler, event: APIGatewayProxyEvent): Promise<ApiResponse> {
  const result = await handler(event, lambdaContext, { signal: new AbortController().signal });
  return { ...result, json: result.body ? JSON.parse(result.body) : undefined };
}
