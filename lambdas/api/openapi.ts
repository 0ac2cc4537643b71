import type { z } from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiParameters,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import type { AuthMode } from '../settings';
import type { ApiRoute, ApiRouteFactory, RouteSettings } from './route';
import { ErrorSchema } from './schemas';

export type OpenApiDocument = ReturnType<typeof createDocument>;

export interface OpenApiOptions {
  /** Every route, each described next to its handler (its room's `room.ts`, read through `lambdas/manifest/routes.ts`). */
  routes: readonly ApiRouteFactory[];
  /** The settings the routes' schemas depend on (allowed upload types and size). */
  settings: RouteSettings;
  /** The deployment's `auth` setting. Default: all three, for a document of every deployment. */
  auth?: AuthMode;
  /** The document's version (the package's). */
  version: string;
  servers?: ZodOpenApiObject['servers'];
}

/** The security scheme (name and definition) each `auth` setting puts in front of every route; none for `none`. */
const SECURITY_SCHEMES: Record<Exclude<AuthMode, 'none'>, [string, oas31.SecuritySchemeObject]> = {
  cognito: [
    'CognitoIdToken',
    {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        "auth=cognito (the default): the ID token of a user of the stack's Cognito user pool, as it is. The local " +
        "runner's `--auth jwt` takes its own tokens (POST /_local/token), with or without `Bearer `.",
    },
  ],
  apikey: [
    'ApiKey',
    {
      type: 'apiKey',
      in: 'header',
      name: 'x-api-key',
      description:
        "auth=apikey: the key of one of the deployment's API clients (`apiClients`), each with its usage plan.",
    },
  ],
};

/**
 * The OpenAPI 3.1 document of the API, made from the routes' zod schemas alone: requests as the handlers parse
 * them (zod's input side), answers as they are sent (the output side; objects admit no other fields). Every
 * route also gets the errors API Gateway answers before any handler runs, and 500. Throws when two routes claim
 * one method and path or one operation id, or a path's `{name}`s and its path schema differ.
 */
export function openApiDocument(options: OpenApiOptions): OpenApiDocument {
  const routes = options.routes.map((describe) => describe(options.settings));
  const modes: AuthMode[] = options.auth ? [options.auth] : ['cognito', 'apikey', 'none'];
  const schemes = modes.flatMap((mode) => (mode === 'none' ? [] : [SECURITY_SCHEMES[mode]]));
  const paths: ZodOpenApiPathsObject = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    checkPathParameters(route);
    if (operationIds.has(route.operationId)) throw new Error(`two routes have the operation id ${route.operationId}`);
    operationIds.add(route.operationId);
    const method = route.method.toLowerCase() as Lowercase<ApiRoute['method']>;
    const item = paths[route.path] ?? {};
    if (item[method]) throw new Error(`two routes are ${route.method} ${route.path}`);
    paths[route.path] = { ...item, [method]: operation(route, modes) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'image-intel API',
      version: options.version,
      description:
        'Upload images and read what the pipeline found in them: metadata, hashes, colours, thumbnails, vision ' +
        'labels. Every error is `{"message"}`. Which credential a route takes is the deployment\'s `auth` ' +
        'setting: one of the security schemes below, or none. Generated from the zod schemas the handlers ' +
        'validate with (`npm run openapi`); docs/api.md explains each route with examples.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: options.servers,
    security: modes.map((mode) => (mode === 'none' ? {} : { [SECURITY_SCHEMES[mode][0]]: [] })),
    paths,
    ...(schemes.length > 0 ? { components: { securitySchemes: Object.fromEntries(schemes) } } : {}),
  });
}

function operation(route: ApiRoute, modes: AuthMode[]): ZodOpenApiOperationObject {
  const { request = {} } = route;
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(route.answers)) {
    responses[status as `2${string}`] = {
      description: answer.description,
      ...(answer.body ? { content: { 'application/json': { schema: answer.body } } } : {}),
    };
  }
  for (const [status, when] of Object.entries(errorsOf(route, modes))) {
    responses[status as `4${string}`] = {
      description: when,
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    // A public route takes no credential, whatever the document's schemes: an empty list says so.
    ...(route.public ? { security: [] } : {}),
    ...(request.path || request.query ? { requestParams: parameters(request.path, request.query) } : {}),
    ...(request.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: request.body } } } }
      : {}),
    responses,
  };
}

function parameters(path: z.ZodObject | undefined, query: z.ZodObject | undefined): ZodOpenApiParameters {
  return { ...(path ? { path } : {}), ...(query ? { query } : {}) };
}

/** The route's own errors, and those of API Gateway (auth unless public, size, throttling) and of any fault. */
function errorsOf(route: ApiRoute, modes: AuthMode[]): Record<number, string> {
  const errors: Record<number, string[]> = {};
  const add = (status: number, when: string) => {
    errors[status] = [...(errors[status] ?? []), when];
  };
  for (const [status, when] of Object.entries(route.errors ?? {})) add(Number(status), when);
  if (modes.includes('cognito') && !route.public)
    add(401, 'auth=cognito: no valid ID token (missing, malformed, expired, another pool)');
  if (modes.includes('apikey') && !route.public) add(403, 'auth=apikey: no valid API key');
  if (route.request?.body) add(413, "The body is over API Gateway's 10 MB");
  add(429, "Over the stage's throttle or, with auth=apikey, the client's usage plan");
  add(500, "Our fault: the message says only 'internal error'");
  return Object.fromEntries(Object.entries(errors).map(([status, whens]) => [status, whens.join('; or ')]));
}

/** Each `{name}` of the path is a field of the path schema, and the other way round. */
function checkPathParameters(route: ApiRoute): void {
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  const inSchema = Object.keys(route.request?.path?.shape ?? {}).sort();
  if (inPath.join() !== inSchema.join()) {
    throw new Error(
      `${route.method} ${route.path}: the path has {${inPath.join('}, {')}}, its path schema ${inSchema.join(', ')}`,
    );
  }
}
