import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { openApiDocument } from '../../../lambdas/api/openapi';
import type { ApiRoute } from '../../../lambdas/api/route';
import { ImageIdPathSchema } from '../../../lambdas/api/schemas';
import { committedDocument, OPENAPI_FILE, openApiEndpoint } from '../../../lambdas/local/api-document';
import { ALL_API_ROUTES, API_ROUTES } from '../../../lambdas/manifest/routes';
import { parseDeploymentSettings } from '../../../lambdas/settings';
import { OpenApiValidator, operationsOf, readOpenApi } from '../../support/openapi';
import { functionFolders } from '../../support/source-files';

const ROOT = path.join(__dirname, '../../..');
const LAMBDAS = path.join(ROOT, 'lambdas');
const settings = parseDeploymentSettings({});
const committed = readOpenApi(path.join(ROOT, OPENAPI_FILE));
// The committed document describes every route, the people routes (faceGrouping on) included.
const routes = ALL_API_ROUTES.map((describe) => describe(settings));

/** Where two JSON values differ, as JSON Pointers (the first few). */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return [at || '/'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) =>
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    ),
  );
}

const route = (overrides: Partial<ApiRoute>): ApiRoute => ({
  method: 'GET',
  path: '/things',
  operationId: 'list-things',
  access: 'read',
  summary: 'List things',
  answers: { 200: { description: 'The things', body: z.object({ things: z.array(z.string()) }) } },
  ...overrides,
});
const documentOf = (...described: ApiRoute[]) =>
  openApiDocument({ routes: described.map((r) => () => r), settings, version: '1' });

describe('the committed OpenAPI document', () => {
  it('is what the zod schemas generate', () => {
    const generated = JSON.parse(JSON.stringify(committedDocument(ROOT)));
    const stale = differences(committed, generated);
    if (stale.length > 0) {
      throw new Error(
        `${OPENAPI_FILE} is not what the route schemas generate (it differs at ${stale.slice(0, 5).join(', ')}): ` +
          'run `npm run openapi` and commit the file',
      );
    }
    expect(committed).toEqual(generated);
  });

  it("has every route.ts of the rooms' functions in the list the document is made from", () => {
    const described = functionFolders().filter(
      (folder) =>
        existsSync(path.join(LAMBDAS, folder, 'route.ts')) || existsSync(path.join(LAMBDAS, folder, 'route.js')),
    );
    expect(described.length).toBeGreaterThanOrEqual(4);
    for (const folder of described) {
      const module = require(path.join(LAMBDAS, folder, 'route')) as { route: unknown };
      expect({ [folder]: ALL_API_ROUTES.includes(module.route as never) }).toEqual({ [folder]: true });
    }
  });

  it('has every route, with each path and query parameter of its schemas, required as the schema says', () => {
    expect(operationsOf(committed).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of routes) {
      const operation = committed.paths[r.path]?.[r.method.toLowerCase()];
      const parameters = (operation?.parameters ?? []).map((p) => `${p.in} ${p.name}${p.required ? ' required' : ''}`);
      const expected = [
        ...Object.keys(r.request?.path?.shape ?? {}).map((name) => `path ${name} required`),
        ...Object.entries(r.request?.query?.shape ?? {}).map(
          ([name, schema]) => `query ${name}${(schema as z.ZodType).safeParse(undefined).success ? '' : ' required'}`,
        ),
      ];
      expect({ [`${r.method} ${r.path}`]: parameters.sort() }).toEqual({ [`${r.method} ${r.path}`]: expected.sort() });
      expect(Boolean(operation?.requestBody)).toBe(Boolean(r.request?.body));
    }
  });

  it('describes every parameter (a new query field needs a description: .meta() or its route.ts)', () => {
    const undescribed = Object.entries(committed.paths).flatMap(([where, item]) =>
      Object.entries(item).flatMap(([method, operation]) =>
        (operation.parameters ?? []).filter((p) => !p.description).map((p) => `${method} ${where} ${p.name}`),
      ),
    );
    expect(undescribed).toEqual([]);
  });

  it('answers every error as {message}, with the auth errors of every auth mode, and 204 without a body', () => {
    const remove = committed.paths['/images/{id}']?.delete;
    expect(Object.keys(remove?.responses ?? {})).toEqual([
      '200',
      '204',
      '400',
      '401',
      '403',
      '404',
      '409',
      '429',
      '500',
    ]);
    expect(remove?.responses['204']?.content).toBeUndefined();
    expect(remove?.responses['404']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(committed.security).toEqual([{ CognitoIdToken: [] }, { ApiKey: [] }, {}]);
    expect(committed.components?.securitySchemes).toEqual({
      CognitoIdToken: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
      ApiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
    });
  });

  it('compiles, every schema in it, as JSON Schema 2020-12 (strict)', () => {
    expect(new OpenApiValidator(committed).compileAll()).toEqual([]);
  });

  it('refuses an answer with a field the schema does not have, as a response leaking bookkeeping would be', () => {
    const validator = new OpenApiValidator(committed);
    const summary = { imageId: '01J0000000000000000000000A', status: 'PENDING', createdAt: '2026-01-01T00:00:00.000Z' };
    const item = { ...summary, updatedAt: summary.createdAt };
    expect(validator.responseErrors('GET', '/images', 200, { items: [item] })).toEqual([]);
    expect(validator.responseErrors('GET', '/images', 200, { items: [{ ...item, etag: '"abc"' }] })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
  });
});

describe("the runner's document", () => {
  const pathsOf = (faceGrouping: string) => {
    const endpoint = openApiEndpoint(parseDeploymentSettings({ faceGrouping }), 'http://localhost:3000', ROOT);
    const { body } = endpoint.handle('') as { body: { paths: Record<string, unknown> } };
    return Object.keys(body.paths);
  };

  it('has the people routes only with face grouping on', () => {
    expect(pathsOf('false').filter((p) => p.startsWith('/people'))).toEqual([]);
    expect(pathsOf('true').filter((p) => p.startsWith('/people'))).toEqual([
      '/people',
      '/people/{id}',
      '/people/{id}/merge',
      '/people/{id}/images/{imageId}',
      '/people/suggestions',
      '/people/suggestions/dismiss',
    ]);
  });
});

describe('openApiDocument', () => {
  it('takes the upload types and size limit from the settings', () => {
    const narrow = parseDeploymentSettings({ allowedTypes: 'image/png', maxUploadBytes: '1024' });
    const document = openApiDocument({ routes: API_ROUTES, settings: narrow, version: '1' });
    const body = document.paths?.['/uploads']?.post?.requestBody as {
      content: { 'application/json': { schema: { properties: Record<string, Record<string, unknown>> } } };
    };
    const { contentType, size } = body.content['application/json'].schema.properties;
    expect(contentType?.enum).toEqual(['image/png']);
    expect(size?.maximum).toBe(1024);
  });

  it.each([
    ['apikey', [{ ApiKey: [] }], ['ApiKey']],
    ['cognito', [{ CognitoIdToken: [] }], ['CognitoIdToken']],
  ] as const)('documents only the scheme of auth=%s when given one', (auth, security, schemes) => {
    const document = openApiDocument({ routes: API_ROUTES, settings, auth, version: '1' });
    expect(document.security).toEqual(security);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(schemes);
  });

  it('documents no security and no 401 with auth=none', () => {
    const document = openApiDocument({ routes: API_ROUTES, settings, auth: 'none', version: '1' });
    expect(document.security).toEqual([{}]);
    expect(document.components?.securitySchemes).toBeUndefined();
    expect(document.paths?.['/images']?.get?.responses?.['401']).toBeUndefined();
  });

  it('documents a public route with no security and no auth errors, and every other route with both', () => {
    const open = route({ path: '/open', operationId: 'open-thing', public: true });
    const document = documentOf(route({}), open);
    expect(document.paths?.['/open']?.get?.security).toEqual([]);
    expect(Object.keys(document.paths?.['/open']?.get?.responses ?? {})).toEqual(['200', '429', '500']);
    expect(document.paths?.['/things']?.get?.security).toBeUndefined();
    expect(Object.keys(document.paths?.['/things']?.get?.responses ?? {})).toEqual(['200', '401', '403', '429', '500']);
  });

  it('shows a field added to a query schema as a parameter, without any other change', () => {
    const query = z.object({ colour: z.string().optional().meta({ description: 'A colour name' }) });
    const document = documentOf(route({ request: { query } }));
    expect(document.paths?.['/things']?.get?.parameters).toEqual([
      {
        in: 'query',
        name: 'colour',
        description: 'A colour name',
        schema: expect.objectContaining({ type: 'string' }),
      },
    ]);
  });

  it("throws when a path's {name}s and its path schema differ", () => {
    expect(() => documentOf(route({ path: '/things/{id}' }))).toThrow(
      'GET /things/{id}: the path has {id}, its path schema ',
    );
    expect(() => documentOf(route({ path: '/things/{thingId}', request: { path: ImageIdPathSchema } }))).toThrow(
      'the path has {thingId}, its path schema id',
    );
  });

  it('throws when two routes are one method and path, or share an operation id', () => {
    expect(() => documentOf(route({}), route({ operationId: 'other' }))).toThrow('two routes are GET /things');
    expect(() => documentOf(route({}), route({ method: 'POST' }))).toThrow(
      'two routes have the operation id list-things',
    );
  });
});
