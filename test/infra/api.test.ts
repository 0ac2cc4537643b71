import { Match } from 'aws-cdk-lib/assertions';
import { constructIdOf } from '../../lib/constructs/api-handlers';
import { GATEWAY_PATHS } from '../../lib/declared-placements';
import { declaredResources, declaredRoutes, routes } from './support/api';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

describe('upload API', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ allowedTypes: 'image/jpeg,image/png', maxUploadBytes: '1048576' });
  });

  it('validates GET /images/{id}/similar: the id required, maxDistance and limit optional query strings', () => {
    const similar = routes(s).get('GET /images/{id}/similar');
    expect(similar?.RequestValidatorId).toEqual({ Ref: logicalIdOf(s.stack.api.requestValidator) });
    expect(similar?.RequestParameters).toEqual({
      'method.request.path.id': true,
      'method.request.querystring.maxDistance': false,
      'method.request.querystring.limit': false,
    });
  });

  it('validates PATCH /images/{id}/labels: the id required, the body left to the handler', () => {
    const labels = routes(s).get('PATCH /images/{id}/labels');
    expect(labels?.RequestValidatorId).toEqual({ Ref: logicalIdOf(s.stack.api.requestValidator) });
    expect(labels?.RequestParameters).toEqual({ 'method.request.path.id': true });
    expect(labels?.RequestModels).toBeUndefined();
  });

  it('throttles the stage at twice the design rate (2,000 req/s, bursts of 4,000), logs access as JSON, traces', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 2000,
          ThrottlingBurstLimit: 4000,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
  });

  it('takes the stage throttle from apiRateLimit and apiBurstLimit', () => {
    synth({ auth: 'apikey', apiRateLimit: '40', apiBurstLimit: '80' }).template.hasResourceProperties(
      'AWS::ApiGateway::Stage',
      { MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 40, ThrottlingBurstLimit: 80 })] },
    );
  });

  it('has every route lambdas/manifest/routes.ts declares and no other, each a Lambda proxy to its function', () => {
    // A route deployed under an earlier name of its path variable keeps it at the gateway (GATEWAY_PATHS).
    const declared = declaredRoutes().map((route) => ({ ...route, path: GATEWAY_PATHS[route.path] ?? route.path }));
    const methods = routes(s);
    expect([...methods.keys()].sort()).toEqual(declared.map(({ method, path }) => `${method} ${path}`).sort());
    for (const { method, path, operationId } of declared) {
      const fn = s.stack.api.handlers.byName[operationId];
      if (!fn) throw new Error(`no function ${operationId} for ${method} ${path}`);
      expect(fn.node.id).toBe(constructIdOf(operationId));
      const integration = methods.get(`${method} ${path}`)?.Integration as { Type: string; Uri: unknown } | undefined;
      expect(integration?.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration?.Uri)).toContain(`"${logicalIdOf(fn)}"`);
    }
  });

  it('validates the POST /uploads body against a schema built from the settings', () => {
    const validatorId = logicalIdOf(s.stack.api.requestValidator);
    s.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const post = routes(s).get('POST /uploads');
    expect(post?.RequestValidatorId).toEqual({ Ref: validatorId });
    expect(post?.RequestModels).toEqual({
      'application/json': { Ref: logicalIdOf(s.stack.api.bodyModels['create-upload'] as never) },
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        type: 'object',
        required: ['contentType', 'size'],
        additionalProperties: false,
        properties: {
          contentType: { type: 'string', enum: ['image/jpeg', 'image/png'] },
          size: { type: 'integer', minimum: 1, maximum: 1048576 },
          filename: { type: 'string', maxLength: 255 },
          tags: { type: 'array', maxItems: 20, items: { type: 'string', minLength: 1, maxLength: 64 } },
          metadata: {
            type: 'object',
            maxProperties: 20,
            patternProperties: { '^[A-Za-z0-9_.:-]{1,64}$': { type: 'string', maxLength: 2048 } },
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('has no CORS preflight and no bucket CORS rule when no origin is configured and no web app hosted', () => {
    const closed = synth({ webApp: 'false' });
    closed.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 0);
    closed.template.resourcePropertiesCountIs('AWS::S3::Bucket', { CorsConfiguration: Match.anyValue() }, 0);
  });

  it('answers CORS preflight and lets the bucket accept POSTs from the configured origins', () => {
    // Without the web app, whose origin is added beside them (web-site.test.ts).
    const cors = synth({ corsOrigins: 'https://app.example.com', webApp: 'false' });
    // One preflight per resource: /, each route's path and each of its prefixes.
    const resources = declaredResources();
    cors.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, resources.size);
    // Each allows exactly the methods the routes have, PATCH included.
    const allowed = [...new Set(declaredRoutes().map(({ method }) => method))];
    expect(allowed).toContain('PATCH');
    const preflights = cors.template.findResources('AWS::ApiGateway::Method', {
      Properties: { HttpMethod: 'OPTIONS' },
    });
    for (const preflight of Object.values(preflights)) {
      const [response] = preflight.Properties.Integration.IntegrationResponses;
      const methods = response.ResponseParameters['method.response.header.Access-Control-Allow-Methods'] as string;
      expect(methods.replace(/'/g, '').split(',').sort()).toEqual(allowed.sort());
      // The headers a browser may send: the credentials', and a share link's token and password (its shared page).
      const headers = response.ResponseParameters['method.response.header.Access-Control-Allow-Headers'] as string;
      expect(headers.replace(/'/g, '').split(',')).toEqual(
        expect.arrayContaining(['Authorization', 'X-Api-Key', 'X-Share-Token', 'X-Share-Password', 'X-Unlock-Token']),
      );
    }
    cors.template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['POST'], AllowedOrigins: ['https://app.example.com'] })],
      },
    });
    cors.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'" },
    });
  });
});

describe('API handlers', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      allowedTypes: 'image/jpeg,image/png',
      maxUploadBytes: '1048576',
      corsOrigins: 'https://a.example,https://b.example',
      // The web app's origin, added beside these, is checked in web-site.test.ts.
      webApp: 'false',
    });
  });

  it('get the names, limits and origins each one reads', () => {
    const { handlers } = s.stack.api;
    const table = { Ref: logicalIdOf(s.stack.table.table) };
    const bucket = { Ref: logicalIdOf(s.stack.storage.bucket) };
    const cors = 'https://a.example,https://b.example';
    expect(environmentOf(s, handlers.named('create-upload'))).toMatchObject({
      TABLE_NAME: table,
      BUCKET_NAME: bucket,
      MAX_UPLOAD_BYTES: '1048576',
      ALLOWED_TYPES: 'image/jpeg,image/png',
      UPLOAD_URL_TTL_SECONDS: '900',
      CORS_ORIGINS: cors,
      POWERTOOLS_SERVICE_NAME: 'image-intel-create-upload',
    });
    expect(environmentOf(s, handlers.named('list-images'))).toMatchObject({ TABLE_NAME: table, CORS_ORIGINS: cors });
    expect(environmentOf(s, handlers.named('get-image'))).toMatchObject({
      TABLE_NAME: table,
      BUCKET_NAME: bucket,
      DOWNLOAD_URL_TTL_SECONDS: '300',
      CORS_ORIGINS: cors,
    });
    const searchTable = { Ref: logicalIdOf(s.stack.declaredTable('search').table) };
    expect(environmentOf(s, handlers.named('delete-image'))).toMatchObject({
      TABLE_NAME: table,
      SEARCH_TABLE_NAME: searchTable,
      EVENT_BUS_NAME: { Ref: logicalIdOf(s.stack.events.bus) },
      CORS_ORIGINS: cors,
    });
    // Its records name their objects' bucket: no BUCKET_NAME in an environment near 4 KB.
    expect(environmentOf(s, handlers.named('delete-image'))).not.toHaveProperty('BUCKET_NAME');
    expect(environmentOf(s, handlers.named('similar-images'))).toMatchObject({
      TABLE_NAME: table,
      SEARCH_TABLE_NAME: searchTable,
      CORS_ORIGINS: cors,
      POWERTOOLS_SERVICE_NAME: 'image-intel-similar-images',
    });
    expect(environmentOf(s, handlers.named('correct-labels'))).toMatchObject({
      TABLE_NAME: table,
      SEARCH_TABLE_NAME: searchTable,
      EVENT_BUS_NAME: { Ref: logicalIdOf(s.stack.events.bus) },
      CORS_ORIGINS: cors,
      POWERTOOLS_SERVICE_NAME: 'image-intel-correct-labels',
    });
  });

  it("all run Node 22 on arm64, traced, source-mapped, logging to the API functions' group, kept for a month", () => {
    const { handlers } = s.stack.api;
    for (const fn of Object.values(handlers.byName)) {
      const props = s.json.Resources[logicalIdOf(fn)]?.Properties;
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(handlers.logGroup) } },
      });
      expect(environmentOf(s, fn)).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      expect(s.json.Resources[logicalIdOf(handlers.logGroup)]?.Properties?.RetentionInDays).toBe(30);
    }
  });
});
