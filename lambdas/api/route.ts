import type { z } from 'zod';
import type { DeploymentSettings } from '../settings';

/** The settings a route's description may depend on (the upload body's types and size come from them). */
export type RouteSettings = Pick<DeploymentSettings, 'allowedTypes' | 'maxUploadBytes' | 'maxRawUploadBytes'> &
  Partial<Pick<DeploymentSettings, 'maxLivePhotoVideoBytes'>>;

/**
 * An answer of a route: what it means and, unless it has none (204), the schema of its JSON body. A schema with
 * `.meta({ id: 'Name' })` is shown once under `components.schemas` and referenced wherever it is used.
 */
export interface RouteAnswer {
  readonly description: string;
  readonly body?: z.ZodType;
}

/**
 * One API route, written next to its handler (`lambdas/<room>/functions/<name>/route.ts`) from the schemas the handler
 * validates with and answers by, and listed once in its room's `room.ts`. Everything else is made from
 * these: the API Gateway resources, methods, request parameters and body models (lib/constructs/upload-api.ts), the
 * local runner's routes (lambdas/local/handlers.ts) and the OpenAPI document. So a new query parameter in a request
 * schema, or a new field in an answer, reaches all three without anything else changing. Every route takes the
 * deployment's `auth` (a Cognito authorizer, an API key, or none); the function is the `operationId`'s folder.
 */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway resource path, e.g. `/images/{id}`: each `{name}` must be a key of `request.path`. */
  readonly path: string;
  /**
   * Unique across the API: the function's name, for one route per function. Its handler is
   * `lambdas/<room>/functions/<operationId>/handler.ts`.
   */
  readonly operationId: string;
  /**
   * What the route does to the deployment's data: `read` only reads it (every GET), `write` changes something.
   * A read route's function holds no write grant: ApiHandlers refuses to synthesize one that does
   * (lib/constructs/read-only.ts), and test/infra/route-access.test.ts checks every role of the template.
   */
  readonly access: 'read' | 'write';
  /**
   * Open to anyone, whatever the deployment's `auth`: its API Gateway method has no authorizer and no API key, the
   * runner lets every request through, the OpenAPI document says `security: []`, and its handler serves with
   * `servePublic`, never reading a caller. Only for a route whose request carries its own credential (a share link's
   * token). @default - the deployment's auth, as every other route
   */
  readonly public?: true;
  readonly summary: string;
  /** Markdown: what a caller needs beyond the schemas (docs/api.md has the long form). */
  readonly description?: string;
  /** The handler's own request schemas: parsed from the path parameters, query string and JSON body. */
  readonly request?: {
    readonly path?: z.ZodObject;
    readonly query?: z.ZodObject;
    readonly body?: z.ZodType;
  };
  /**
   * API Gateway refuses a body that does not fit a model made from `request.body` (gateway-model.ts), before the
   * function runs and is paid for. @default false - the handler alone checks the body
   */
  readonly gatewayValidatesBody?: boolean;
  /** The success answers, by status. */
  readonly answers: Readonly<Record<number, RouteAnswer>>;
  /**
   * The client errors the handler itself answers, by status, with when. Those API Gateway answers before any
   * handler runs (401, 403 for auth; 413, 429) and 500 are added to every route by the generator.
   */
  readonly errors?: Readonly<Record<number, string>>;
}

/** What each `route.ts` exports as `route`: the description, given the deployment's settings. */
export type ApiRouteFactory = (settings: RouteSettings) => ApiRoute;

/** Metadata for one field of a schema: OpenAPI reads `description`, and `override` for what zod cannot say. */
export type FieldMeta = z.GlobalMeta;

/**
 * The same object schema with metadata on some of its fields, for the document only (the handler keeps parsing
 * with the original): for a schema whose own file is not the place to say how it reads in the document. A field
 * named here that the schema does not have is a compile error; a field the schema gains shows up undescribed.
 */
export function withFieldMeta<S extends z.ZodObject>(
  schema: S,
  meta: Partial<Record<keyof S['shape'] & string, FieldMeta>>,
): S {
  const fields = Object.entries(meta).map(([name, fieldMeta]) => {
    const field = schema.shape[name] as z.ZodType;
    return [name, field.meta({ ...field.meta(), ...fieldMeta })] as const;
  });
  return schema.safeExtend(Object.fromEntries(fields)) as unknown as S;
}
