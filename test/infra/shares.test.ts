import * as vm from 'node:vm';
import type { IConstruct } from 'constructs';
import { SHARES_TABLE } from '../../lambdas/shares/table-design';
import { RUNTIME_ACTIONS } from '../../lib/constructs/read-only';
import { routes } from './support/api';
import { permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/**
 * Share links in the template (docs/api.md#share-links): their table, GET /shared/{token} open to anyone while every
 * other method keeps the deployment's auth, and each share route granted exactly what it sends.
 */

/** What a function is granted besides its log lines and traces, as `action resource`, sorted. */
const grantsOf = (s: Synthesized, fn: IConstruct) =>
  permissionsOfFunction(s.json, logicalIdOf(fn))
    .filter((p) => !RUNTIME_ACTIONS.includes(p.action) && p.action !== 'ssm:GetParameter')
    .map((p) => `${p.action} ${p.resource}`)
    .sort();

describe('share links', () => {
  let s: Synthesized;
  let shares: string;
  beforeAll(() => {
    s = synth({});
    const table = s.stack.declaredTables.find(({ declaration }) => declaration === SHARES_TABLE);
    if (!table) throw new Error('no shares table');
    shares = logicalIdOf(table.table);
  });
  const fn = (name: string) => {
    const found = s.stack.api.handlers.byName[name];
    if (!found) throw new Error(`no function ${name}`);
    return found;
  };

  it('keeps them in a table keyed by the token hash, its owners index, TTL and point-in-time recovery', () => {
    expect(s.json.Resources[shares]?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOwnerShares',
          KeySchema: [
            { AttributeName: 'shareOwner', KeyType: 'HASH' },
            { AttributeName: 'shareSort', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('opens GET /shared/{token} to anyone, and only it: every other method keeps the Cognito authorizer', () => {
    const methods = [...routes(s)];
    const open = methods.filter(([, method]) => method.AuthorizationType !== 'COGNITO_USER_POOLS');
    expect(open.map(([route, method]) => [route, method.AuthorizationType, method.AuthorizerId ?? null])).toEqual([
      ['GET /shared/{token}', 'NONE', null],
    ]);
    expect(methods.length).toBeGreaterThan(40);
    expect(methods.filter(([, method]) => method.AuthorizerId !== undefined)).toHaveLength(methods.length - 1);
  });

  it('tells the owner routes where a link opens: the web app, whose origin is its distribution', () => {
    const environment = environmentOf(s, fn('create-image-share'));
    expect(environment.SHARES_TABLE).toEqual({ Ref: shares });
    expect(JSON.stringify(environment.WEB_APP_URL)).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",\{"Fn::GetAtt":\["Web/);
  });

  it("without the web app, leaves a link's URL to the API (WEB_APP_URL empty)", () => {
    const bare = synth({ webApp: 'false' });
    const created = bare.stack.api.handlers.byName['create-image-share'];
    if (!created) throw new Error('no create-image-share');
    expect(environmentOf(bare, created).WEB_APP_URL).toBe('');
  });

  it('grants each share route exactly what it sends to the shares table, and no route the whole table', () => {
    const table = `<${shares}.Arn>`;
    const of = (name: string) => grantsOf(s, fn(name)).filter((grant) => grant.includes(table));
    expect(of('create-image-share')).toEqual([`dynamodb:PutItem ${table}`]);
    expect(of('create-album-share')).toEqual([`dynamodb:PutItem ${table}`]);
    // A page of links from the owners' index, their views (items of their own) by key.
    expect(of('list-shares')).toEqual([
      `dynamodb:BatchGetItem ${table}`,
      `dynamodb:Query ${table}/index/byOwnerShares`,
    ]);
    // By its token's hash; by its shareId, among the owner's links (the index), the table keeping no token.
    expect(of('revoke-share')).toEqual([
      `dynamodb:GetItem ${table}`,
      `dynamodb:Query ${table}/index/byOwnerShares`,
      `dynamodb:UpdateItem ${table}`,
    ]);
    expect(of('get-shared')).toEqual([`dynamodb:GetItem ${table}`, `dynamodb:UpdateItem ${table}`]);
    const others = Object.keys(s.stack.api.handlers.byName).filter((name) => !/share/.test(name));
    for (const name of others) expect([name, of(name)]).toEqual([name, []]);
  });

  it('lets the public route sign renditions, read no original (the render function does) and write nothing of an image', () => {
    const grants = grantsOf(s, fn('get-shared'));
    expect(grants).toEqual(expect.arrayContaining([expect.stringMatching(/^secretsmanager:GetSecretValue /)]));
    expect(grants.filter((grant) => /^s3:GetObject .*\/uploads\/\*$/.test(grant))).toEqual([]);
    const writes = grants.filter(
      (grant) =>
        !/^(dynamodb:(Get|BatchGet|Query)|s3:(Get|List)|secretsmanager:(Get|Describe)|kms:Decrypt|bedrock:InvokeModel|s3vectors:(Query|Get))/.test(
          grant,
        ),
    );
    expect(writes).toEqual([`dynamodb:UpdateItem <${shares}.Arn>`]);
  });

  it("logs the API's access by route, never by the path a link's token is in", () => {
    const stages = Object.values(s.json.Resources).filter((resource) => resource.Type === 'AWS::ApiGateway::Stage');
    expect(stages).toHaveLength(1);
    const stage = stages[0]?.Properties as {
      AccessLogSetting: { Format: string };
      MethodSettings: { LoggingLevel?: string; DataTraceEnabled?: boolean }[];
    };
    const fields = JSON.parse(stage.AccessLogSetting.Format) as Record<string, string>;
    // `/shared/{token}`, the route, not `/shared/<the token>`.
    expect(fields.resourcePath).toBe('$context.resourcePath');
    const variables = stage.AccessLogSetting.Format.match(/\$context\.[A-Za-z.]+/g) ?? [];
    expect(variables.filter((name) => /path|uri|url|querystring|input/i.test(name))).toEqual(['$context.resourcePath']);
    expect(stage.AccessLogSetting.Format).not.toContain('$context.path');
    // No execution log that names path parameters (INFO) or holds requests (data trace).
    for (const setting of stage.MethodSettings) {
      expect(setting).toMatchObject({ LoggingLevel: 'ERROR', DataTraceEnabled: false });
    }
    // Nor does the function log its event (Powertools' POWERTOOLS_LOGGER_LOG_EVENT), where the path is.
    const environment = environmentOf(s, fn('get-shared'));
    expect(environment).not.toHaveProperty('POWERTOOLS_LOGGER_LOG_EVENT');
    expect(environment.POWERTOOLS_LOG_LEVEL).toBe('INFO');
  });

  it("serves the web app's shared page at /app/shared, whose link holds the token after # (which no log sees)", () => {
    const web = s.stack.web;
    if (!web) throw new Error('no web app');
    const distribution = s.json.Resources[logicalIdOf(web.distribution)]?.Properties as {
      DistributionConfig: { Logging?: { IncludeCookies?: boolean } };
    };
    // CloudFront's standard logs hold a request's path and query string: a link's is `/app/shared`, no cookies.
    expect(distribution.DistributionConfig.Logging).toBeDefined();
    expect(distribution.DistributionConfig.Logging?.IncludeCookies ?? false).toBe(false);
    const fn = s.json.Resources[logicalIdOf(web.requestFunction)]?.Properties as { FunctionCode: string };
    const context = vm.createContext({});
    vm.runInContext(fn.FunctionCode, context);
    const handler = vm.runInContext('handler', context) as (event: { request: { uri: string } }) => { uri?: string };
    // A browser asks for the page without its fragment; an older link's path still gets the app.
    for (const uri of ['/app/shared', '/app/shared/', '/app/shared/q2Vw3tQmY2sH1m9K0l8R3xS6a7B5c4D2e1F0g9H8i7J']) {
      expect([uri, handler({ request: { uri } }).uri]).toEqual([uri, '/app/index.html']);
    }
  });
});
