import { Match } from 'aws-cdk-lib/assertions';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { routes } from './support/api';
import { permissionsOfFunction } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth } from './support/synth';

/** The only route anyone may call without the deployment's auth: a share link (lambdas/api/route.ts `public`). */
const PUBLIC_ROUTE = 'GET /shared/{token}';

/**
 * The API functions but the share link's page (the one public route): each reads who its caller is from AUTH_MODE
 * and, with apikey, the clients' parameter.
 */
const apiFunctions = (s: Synthesized) =>
  Object.entries(s.stack.api.handlers.byName)
    .filter(([name]) => name !== 'get-shared')
    .map(([, fn]) => fn);

/** A value as CloudFormation would deploy it, with each reference written `<LogicalId>`. */
function deployed(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (node.Ref) return `<${node.Ref}>`;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(deployed).join(node['Fn::Join'][0]);
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/**
 * The API clients' directory as deployed, after checking every API function is told its parameter and may read it
 * (GetParameter on it, nothing more).
 */
function clientsDirectory(s: Synthesized): unknown {
  const parameters = s.template.findResources('AWS::SSM::Parameter');
  expect(Object.keys(parameters)).toHaveLength(1);
  const [id, parameter] = Object.entries(parameters)[0] as [string, { Properties: { Value: unknown; Tier: string } }];
  expect(parameter.Properties.Tier).toBe('Standard');
  for (const fn of apiFunctions(s)) {
    expect(environmentOf(s, fn).API_CLIENTS_PARAMETER).toEqual({ Ref: id });
    // The role's grants are its inline policy (FunctionRole).
    s.template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [
        {
          PolicyName: 'grants',
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Action: 'ssm:GetParameter',
                Effect: 'Allow',
                Resource: {
                  'Fn::Join': ['', Match.arrayWith([':ssm:', ':parameter/', { Ref: id }])],
                },
              },
            ]),
          },
        },
      ],
    });
    expect(
      permissionsOfFunction(s.json, logicalIdOf(fn)).filter(({ action }) => action === 'ssm:GetParameter'),
    ).toEqual([{ action: 'ssm:GetParameter', resource: expect.stringContaining(`<${id}>`) }]);
  }
  expect(environmentOf(s, s.stack.processor.function)).not.toHaveProperty('API_CLIENTS_PARAMETER');
  // The public route reads no caller: it may not read the directory.
  const open = s.stack.api.handlers.byName['get-shared'] as NonNullable<(typeof s.stack.api.handlers.byName)[string]>;
  const actions = permissionsOfFunction(s.json, logicalIdOf(open)).map(({ action }) => action);
  expect(actions).toContain('dynamodb:GetItem');
  expect(actions).not.toContain('ssm:GetParameter');
  return JSON.parse(deployed(parameter.Properties.Value));
}

/** The API's only authorizer. */
function authorizerId(s: Synthesized): string {
  const ids = Object.keys(s.template.findResources('AWS::ApiGateway::Authorizer'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

describe('API auth with cognito', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ auth: 'cognito' });
  });

  it('creates a user pool without self sign-up, a secretless client, and the authorizer on every route', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      AllowedOAuthFlows: Match.absent(),
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [{ 'Fn::GetAtt': [logicalIdOf(s.stack.api.auth.userPool as never), 'Arn'] }],
    });
    const authorizer = { Ref: authorizerId(s) };
    for (const [route, method] of routes(s)) {
      if (route === PUBLIC_ROUTE) continue;
      expect([route, method.AuthorizationType, method.AuthorizerId]).toEqual([route, 'COGNITO_USER_POOLS', authorizer]);
    }
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    expect(Object.keys(s.json.Outputs ?? {})).toEqual(expect.arrayContaining(['UserPoolId', 'UserPoolClientId']));
  });

  it('opens the public route alone (a share link): no authorizer, no key, on that method only', () => {
    const opened = [...routes(s)].filter(([, method]) => method.AuthorizationType !== 'COGNITO_USER_POOLS');
    expect(
      opened.map(([route, method]) => [route, method.AuthorizationType, method.AuthorizerId, method.ApiKeyRequired]),
    ).toEqual([[PUBLIC_ROUTE, 'NONE', undefined, false]]);
  });

  it('creates the group admins in that pool, the name the functions look for in cognito:groups', () => {
    const pool = logicalIdOf(s.stack.api.auth.userPool as never);
    s.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 1);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'admins',
      UserPoolId: { Ref: pool },
    });
    expect(s.json.Outputs?.AdminGroupName).toMatchObject({
      Value: { Ref: logicalIdOf(s.stack.api.auth.adminGroup as never) },
    });
  });

  it('tells every API function the auth mode, and that there are no API clients', () => {
    for (const fn of apiFunctions(s)) {
      expect(environmentOf(s, fn)).toMatchObject({ AUTH_MODE: 'cognito', API_CLIENTS_PARAMETER: '' });
    }
    s.template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  it('with userPoolId: authorizes with that pool and creates neither a pool nor a group in it', () => {
    // The web app's client in an existing pool is web-site.test.ts's.
    const existing = synth({ auth: 'cognito', userPoolId: 'eu-west-1_AbCdEf123', webApp: 'false' });
    existing.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    existing.template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    existing.template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    existing.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: [
        Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':userpool/eu-west-1_AbCdEf123'])]) }),
      ],
    });
    expect(Object.keys(existing.json.Outputs ?? {})).not.toContain('AdminGroupName');
  });
});

describe('API auth with apikey, default client', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ auth: 'apikey' });
  });

  it('requires a key on every route but the public one, with no authorizer', () => {
    for (const [route, method] of routes(s)) {
      const keyed = route !== PUBLIC_ROUTE;
      expect([route, method.ApiKeyRequired, method.AuthorizationType]).toEqual([route, keyed, 'NONE']);
    }
    s.template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
  });

  it('has one key, client default, whose usage plan allows 10 requests/s, bursts of 20 and 10,000 a day', () => {
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 10000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ ApiId: { Ref: logicalIdOf(s.stack.api.api) } })],
    });
    expect(s.stack.api.auth.clients.map(({ client }) => client.name)).toEqual(['default']);
  });

  it('keeps the logical ids the single key of earlier versions had, so a deployed key is not replaced', () => {
    // From the template of the version before API clients (stack `Test`): a changed id would delete the key.
    expect(Object.keys(s.template.findResources('AWS::ApiGateway::ApiKey'))).toEqual(['ApiAuthApiKey0AECF818']);
    expect(Object.keys(s.template.findResources('AWS::ApiGateway::UsagePlan'))).toEqual(['ApiAuthUsagePlanA19DC744']);
    expect(Object.keys(s.template.findResources('AWS::ApiGateway::UsagePlanKey'))).toEqual([
      'ApiAuthUsagePlanUsagePlanKeyResourceTestApiAuthApiKey09F001C40C78B947',
    ]);
    expect(s.json.Outputs?.ApiKeyId).toMatchObject({ Value: { Ref: 'ApiAuthApiKey0AECF818' } });
  });

  it('tells every API function that key is client default, not an admin', () => {
    for (const fn of apiFunctions(s)) expect(environmentOf(s, fn).AUTH_MODE).toBe('apikey');
    expect(clientsDirectory(s)).toEqual({ '<ApiAuthApiKey0AECF818>': { name: 'default', admin: false } });
  });
});

describe('API auth with apikey, configured clients', () => {
  const clients = [
    { name: 'web', admin: true, rateLimit: 50, burstLimit: 100, quotaPerDay: 100_000 },
    { name: 'batch-jobs', quotaPerDay: 500_000 },
  ];
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ auth: 'apikey', apiClients: JSON.stringify(clients) });
  });
  const clientKey = (name: string) => {
    const found = s.stack.api.auth.clients.find(({ client }) => client.name === name);
    if (!found) throw new Error(`no client ${name}`);
    return { apiKey: logicalIdOf(found.apiKey), usagePlan: logicalIdOf(found.usagePlan) };
  };

  it('gives each client its own key and usage plan, with its throttle and daily quota, on the API stage', () => {
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    const plans = s.json.Resources;
    expect(plans[clientKey('web').usagePlan]?.Properties).toMatchObject({
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 100000, Period: 'DAY' },
      ApiStages: [expect.objectContaining({ ApiId: { Ref: logicalIdOf(s.stack.api.api) } })],
    });
    expect(plans[clientKey('batch-jobs').usagePlan]?.Properties).toMatchObject({
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 500000, Period: 'DAY' },
      ApiStages: [expect.objectContaining({ ApiId: { Ref: logicalIdOf(s.stack.api.api) } })],
    });
  });

  it("holds an admin client's POST /backfills to adminBackfillRateLimit in its plan, and no other route or client", () => {
    const stages = (name: string) =>
      (s.json.Resources[clientKey(name).usagePlan]?.Properties as { ApiStages?: { Throttle?: unknown }[] } | undefined)
        ?.ApiStages ?? [];
    expect(stages('web')).toEqual([
      expect.objectContaining({ Throttle: { '/backfills/POST': { RateLimit: 0.1, BurstLimit: 2 } } }),
    ]);
    // batch-jobs is no admin: POST /backfills answers it 403 whatever its rate.
    expect(stages('batch-jobs').map((stage) => stage.Throttle ?? {})).toEqual([{}]);
  });

  it('takes the admin backfill throttle from the settings', () => {
    const tight = synth({
      auth: 'apikey',
      apiClients: '[{"name":"ops","admin":true}]',
      adminBackfillRateLimit: '0.01',
      adminBackfillBurstLimit: '1',
    });
    tight.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      ApiStages: [Match.objectLike({ Throttle: { '/backfills/POST': { RateLimit: 0.01, BurstLimit: 1 } } })],
    });
  });

  it("puts each key in its own client's usage plan only", () => {
    const links = Object.values(s.template.findResources('AWS::ApiGateway::UsagePlanKey')).map((resource) => [
      (resource.Properties.KeyId as { Ref: string }).Ref,
      (resource.Properties.UsagePlanId as { Ref: string }).Ref,
    ]);
    expect(links.sort()).toEqual(
      [
        [clientKey('web').apiKey, clientKey('web').usagePlan],
        [clientKey('batch-jobs').apiKey, clientKey('batch-jobs').usagePlan],
      ].sort(),
    );
  });

  it("outputs each client's key id under a name that says whose it is", () => {
    const outputs = s.json.Outputs ?? {};
    expect(outputs.ApiKeyIdWeb).toMatchObject({
      Value: { Ref: clientKey('web').apiKey },
      Description: expect.stringContaining('client web'),
    });
    expect(outputs.ApiKeyIdBatchJobs).toMatchObject({
      Value: { Ref: clientKey('batch-jobs').apiKey },
      Description: expect.stringContaining('client batch-jobs'),
    });
    expect(outputs).not.toHaveProperty('ApiKeyId');
  });

  it('tells every API function which key id is which client, and which is an admin', () => {
    expect(clientsDirectory(s)).toEqual({
      [`<${clientKey('web').apiKey}>`]: { name: 'web', admin: true },
      [`<${clientKey('batch-jobs').apiKey}>`]: { name: 'batch-jobs', admin: false },
    });
  });

  it('keeps the default key when client default is listed with others', () => {
    const kept = synth({ auth: 'apikey', apiClients: '[{"name":"default"},{"name":"web"}]' });
    expect(Object.keys(kept.template.findResources('AWS::ApiGateway::ApiKey'))).toContain('ApiAuthApiKey0AECF818');
    expect(Object.keys(kept.json.Outputs ?? {})).toEqual(expect.arrayContaining(['ApiKeyId', 'ApiKeyIdWeb']));
  });

  it('takes the list typed, as cdk.json gives it, as well as JSON text', () => {
    expect(parseDeploymentSettings({ auth: 'apikey', apiClients: clients }).apiClients).toEqual(
      parseDeploymentSettings({ auth: 'apikey', apiClients: JSON.stringify(clients) }).apiClients,
    );
  });
});

describe('apiClients setting', () => {
  const parse =
    (apiClients: unknown, auth = 'apikey') =>
    () =>
      parseDeploymentSettings({ auth, apiClients });

  it.each([
    ['text that is not JSON', '[{"name":"web"', /apiClients: must be JSON/],
    ['a name that is not one', '[{"name":"Web"}]', /apiClients\.0\.name: must be a lowercase letter/],
    ['a field it does not know', '[{"name":"web","rate":5}]', /apiClients\.0: .*"rate"/],
    ['a quota of none', '[{"name":"web","quotaPerDay":0}]', /apiClients\.0\.quotaPerDay: /],
    ['a burst over what API Gateway allows', '[{"name":"web","burstLimit":5001}]', /apiClients\.0\.burstLimit: /],
    ['no client', '[]', /apiClients: at least one client/],
    ['a name twice', '[{"name":"web"},{"name":"web"}]', /apiClients: the name web is given twice/],
    ['names that differ only in hyphens', '[{"name":"a-b"},{"name":"ab"}]', /apiClients: a-b and ab differ only/],
  ])('fails the synth on %s, naming the setting', (_what, value, message) => {
    expect(parse(value)).toThrow(/^invalid deployment settings: /);
    expect(parse(value)).toThrow(message);
  });

  it.each([
    ['a rate of none', { adminBackfillRateLimit: '0' }, /adminBackfillRateLimit: /],
    ['a rate that is no number', { adminBackfillRateLimit: 'slow' }, /adminBackfillRateLimit: /],
    ['a burst that is no whole number', { adminBackfillBurstLimit: '1.5' }, /adminBackfillBurstLimit: /],
  ])('fails the synth on an admin backfill throttle of %s, naming the setting', (_what, value, message) => {
    expect(() => parseDeploymentSettings({ auth: 'apikey', ...value })).toThrow(message);
  });

  it('fails when the clients would not fit the 4 KB SSM parameter that holds them', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `c${i}-`.padEnd(63, 'x') }));
    expect(parse(JSON.stringify(many))).toThrow(
      /apiClients: the API clients' directory would take 5\d{3} bytes, over the 4096 of the SSM parameter/,
    );
  });

  it.each(['cognito', 'none'])('fails with auth=%s, since it would deploy no key for any client', (auth) => {
    expect(parse('[{"name":"web"}]', auth)).toThrow(
      `invalid deployment settings: apiClients: only used with auth=apikey (auth is ${auth})`,
    );
  });
});

describe('API auth with none', () => {
  it('has no authorizer, no key, no user pool, and says so to every API function', () => {
    const s = synth({ auth: 'none' });
    for (const [route, method] of routes(s)) {
      expect([route, method.AuthorizationType, method.ApiKeyRequired ?? false]).toEqual([route, 'NONE', false]);
    }
    s.template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    s.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    for (const fn of apiFunctions(s)) {
      expect(environmentOf(s, fn)).toMatchObject({ AUTH_MODE: 'none', API_CLIENTS_PARAMETER: '' });
    }
  });
});
