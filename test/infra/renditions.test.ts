import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { loadViewerRequestFunction, type ViewerRequestResult } from '../../lambdas/edge/rendition-request-code';
import { RENDITION_CACHE_SECONDS } from '../../lambdas/renditions/cache-headers';
import { RenditionSettingsSchema } from '../../lambdas/renditions/functions/render-image/contract';
import { RENDITION_QUERY_NAMES } from '../../lambdas/renditions/query';
import { EXPIRY_WINDOW_SECONDS, KEY_CACHE_SECONDS } from '../../lambdas/renditions/signing-contract';
import { parseDeploymentSettings } from '../../lambdas/settings';
import { SHARES_TABLE } from '../../lambdas/shares/table-design';
import { FORMAT_HEADER } from '../../lib/constructs/rendition-edge';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { flattenedTemplate } from './support/flatten';
import {
  actionsOf,
  flattenReference,
  identityPolicies,
  type Permission,
  permissionsOfFunction,
  permissionsOfRole,
  roleOfFunction,
} from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth, testApp, variablesOf } from './support/synth';

const BASE = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const READ_SECRET = ['secretsmanager:GetSecretValue'];

type Resource = Synthesized['json']['Resources'][string];
const resourcesOfType = (s: Synthesized, type: string): [string, Resource][] =>
  Object.entries(s.json.Resources).filter(([, resource]) => resource.Type === type);
/**
 * The renditions' resources of a type (the web app has a distribution, headers and a function of its own): the
 * construct's, and its functions' in the renditions room's stack (lib/constructs/room-stacks.ts).
 */
const ofRenditions = (s: Synthesized, type: string): [string, Resource][] =>
  resourcesOfType(s, type).filter(([id]) => /^(Renditions|RenderFunction|RotationFunction)/.test(id));
const only = (s: Synthesized, type: string): Record<string, unknown> => {
  const found = ofRenditions(s, type);
  if (found.length !== 1) throw new Error(`${found.length} ${type} resources, expected 1`);
  return (found[0]?.[1].Properties ?? {}) as Record<string, unknown>;
};
const resourcesFor = (permissions: readonly Permission[], action: string) =>
  permissions
    .filter((permission) => permission.action === action)
    .map((permission) => permission.resource)
    .sort();

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the policies attached to a role. */
function statementsOfRole(json: Synthesized['json'], role: string): Statement[] {
  return identityPolicies(json)
    .filter((policy) => policy.roles.includes(role))
    .flatMap((policy) => policy.document.Statement as unknown as Statement[]);
}

describe('renditions', () => {
  let s: Synthesized;
  /** A deployment that chose the function's memory and the price class, as `-c` gives them: text. */
  const chosen = () => synth({ inference: 'none', renditionMemoryMb: '4096', renditionPriceClass: 'PriceClass_All' });
  let ids: { render: string; rotation: string; secret: string; distribution: string; bucket: string };
  beforeAll(() => {
    s = synth({ inference: 'none', auth: 'apikey' });
    const { renditions } = s.stack;
    ids = {
      render: logicalIdOf(renditions.renderFunction),
      rotation: logicalIdOf(renditions.rotationFunction),
      secret: logicalIdOf(renditions.signingSecret),
      distribution: logicalIdOf(renditions.distribution),
      bucket: logicalIdOf(s.stack.storage.bucket),
    };
  });

  describe('the distribution', () => {
    it('redirects HTTP to HTTPS, serves GET and HEAD only, over HTTP/2 and 3, in price class 100 by default', () => {
      const config = only(s, 'AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
      expect(config).toMatchObject({
        Enabled: true,
        HttpVersion: 'http2and3',
        PriceClass: 'PriceClass_100',
        DefaultCacheBehavior: {
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachedMethods: ['GET', 'HEAD'],
          CachePolicyId: { Ref: logicalIdOf(s.stack.renditions.cachePolicy) },
          ResponseHeadersPolicyId: { Ref: logicalIdOf(s.stack.renditions.responseHeadersPolicy) },
        },
      });
    });

    it('serves from the price class renditionPriceClass names', () => {
      const config = only(chosen(), 'AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
      expect(config.PriceClass).toBe('PriceClass_All');
    });

    it('fails the synth, naming the setting, for a price class CloudFront does not have', () => {
      expect(() => parseDeploymentSettings({ renditionPriceClass: 'PriceClass_50' })).toThrow(/renditionPriceClass/);
    });

    it('logs every request to its own log bucket, which keeps object ACLs for the log delivery', () => {
      const config = only(s, 'AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
      const logs = logicalIdOf(s.stack.renditions.logsBucket);
      expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logs, 'RegionalDomainName'] }, Prefix: 'renditions/' });
      expect(s.json.Resources[logs]?.Properties).toMatchObject({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
      });
    });

    it('keeps a 4xx of the render function 10 s and a 5xx 30 s, so a failing URL is not retried at full cost', () => {
      const config = only(s, 'AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
      const ttl = Object.fromEntries(
        (config.CustomErrorResponses as { ErrorCode: number; ErrorCachingMinTTL: number }[]).map((r) => [
          r.ErrorCode,
          r.ErrorCachingMinTTL,
        ]),
      );
      expect(ttl).toEqual({ 400: 10, 403: 10, 404: 10, 500: 30, 502: 30, 503: 30, 504: 30 });
    });

    it('adds the security headers to every response', () => {
      const policy = only(s, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig;
      expect(policy).toMatchObject({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY' },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
          ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'" },
        },
      });
    });

    it('outputs its https URL and the signing secret', () => {
      const outputs = s.json.Outputs as Record<string, { Value: unknown }>;
      expect(outputs.RenditionsUrl?.Value).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [ids.distribution, 'DomainName'] }]],
      });
      expect(outputs.RenditionSigningSecretArn?.Value).toEqual({ Ref: ids.secret });
    });
  });

  describe('the origin', () => {
    it('is the render function URL, with IAM auth and streamed responses (no 6 MB ceiling)', () => {
      expect(only(s, 'AWS::Lambda::Url')).toEqual({
        AuthType: 'AWS_IAM',
        InvokeMode: 'RESPONSE_STREAM',
        TargetFunctionArn: { 'Fn::GetAtt': [ids.render, 'Arn'] },
      });
    });

    it('is reached through an origin access control that signs every request', () => {
      const oac = ofRenditions(s, 'AWS::CloudFront::OriginAccessControl');
      expect(oac).toHaveLength(1);
      expect(oac[0]?.[1].Properties?.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 'lambda',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const config = only(s, 'AWS::CloudFront::Distribution').DistributionConfig as { Origins: unknown[] };
      expect(config.Origins).toEqual([
        expect.objectContaining({
          DomainName: {
            'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.any(String), 'FunctionUrl'] }] }],
          },
          OriginAccessControlId: { 'Fn::GetAtt': [oac[0]?.[0], 'Id'] },
          CustomOriginConfig: expect.objectContaining({ OriginProtocolPolicy: 'https-only', OriginReadTimeout: 30 }),
        }),
      ]);
    });

    it('lets CloudFront invoke it through the URL for this distribution only, and nobody else invoke it at all', () => {
      // The function's ARN, by its own id or its URL's (the URL's FunctionArn attribute).
      const render = [s.stack.renditions.renderFunction, s.stack.renditions.functionUrl].map(logicalIdOf);
      const renderArn = (value: unknown) => render.some((id) => flattenReference(value).startsWith(`<${id}`));
      const permissions = resourcesOfType(s, 'AWS::Lambda::Permission')
        .map(([, resource]) => resource.Properties as Record<string, unknown>)
        .filter((permission) => renderArn(permission.FunctionName));
      const distributionArn = `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${ids.distribution}>`;
      expect(
        permissions.map((p) => ({
          action: p.Action,
          principal: p.Principal,
          source: flattenReference(p.SourceArn),
          viaUrl: p.InvokedViaFunctionUrl,
        })),
      ).toEqual(
        expect.arrayContaining([
          { action: 'lambda:InvokeFunctionUrl', principal: 'cloudfront.amazonaws.com', source: distributionArn },
          {
            action: 'lambda:InvokeFunction',
            principal: 'cloudfront.amazonaws.com',
            source: distributionArn,
            viaUrl: true,
          },
        ]),
      );
      expect(permissions).toHaveLength(2);
    });
  });

  describe('the cache key', () => {
    it('is the whole query and the negotiated format header: no cookie, no Accept, no Accept-Encoding', () => {
      const policy = only(s, 'AWS::CloudFront::CachePolicy').CachePolicyConfig as Record<string, unknown>;
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toEqual({
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [FORMAT_HEADER] },
        CookiesConfig: { CookieBehavior: 'none' },
        EnableAcceptEncodingGzip: false,
        EnableAcceptEncodingBrotli: false,
      });
    });

    it('keeps an entry a minute at most, whatever the origin says and however long URLs live, then revalidates', () => {
      const policy = only(s, 'AWS::CloudFront::CachePolicy').CachePolicyConfig as Record<string, unknown>;
      expect(RENDITION_CACHE_SECONDS).toBe(60);
      expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 60, MaxTTL: 60 });
      const week = only(synth({ inference: 'none', renditionUrlTtlSeconds: '604800' }), 'AWS::CloudFront::CachePolicy');
      expect(week.CachePolicyConfig).toMatchObject({ MinTTL: 0, DefaultTTL: 60, MaxTTL: 60 });
    });

    describe('holds exactly the grammar, because the viewer-request function as deployed', () => {
      let viewerRequest: (query: Record<string, string>) => ViewerRequestResult;
      beforeAll(() => {
        const fn = only(s, 'AWS::CloudFront::Function');
        expect(fn.FunctionConfig).toEqual(expect.objectContaining({ Runtime: 'cloudfront-js-2.0' }));
        const handler = loadViewerRequestFunction(fn.FunctionCode as string);
        const signed = { exp: String(Math.ceil(Date.now() / 1000) + 600), kid: 'k', sig: 's' };
        viewerRequest = (query) =>
          handler({
            request: {
              uri: '/01M81J7NMFPA5YKSZ1JXJWSHP5',
              querystring: Object.fromEntries(
                Object.entries({ ...query, ...signed }).map(([name, value]) => [name, { value }]),
              ),
              headers: { accept: { value: 'image/avif,image/webp,*/*' } },
            },
          });
      });

      it.each([...RENDITION_QUERY_NAMES])('passes %s on', (name) => {
        expect(viewerRequest({ [name]: '1' })).not.toHaveProperty('statusCode');
      });

      it.each(['width', 'W', 'callback', 'utm_source'])('refuses %s with 400 before the cache is read', (name) => {
        expect(viewerRequest({ [name]: '1' })).toMatchObject({ statusCode: 400 });
      });

      it('puts the negotiated format in the header instead of Accept', () => {
        expect(viewerRequest({ w: '400' })).toMatchObject({ headers: { [FORMAT_HEADER]: { value: 'avif' } } });
      });
    });

    it('is made by the viewer-request function, associated with the default behavior', () => {
      const config = only(s, 'AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
      expect((config.DefaultCacheBehavior as Record<string, unknown>).FunctionAssociations).toEqual([
        {
          EventType: 'viewer-request',
          FunctionARN: { 'Fn::GetAtt': [logicalIdOf(s.stack.renditions.requestFunction), 'FunctionARN'] },
        },
      ]);
    });

    it('negotiates only the formats the deployment allows', () => {
      const code = only(synth({ inference: 'none', renditionFormats: 'jpeg,webp' }), 'AWS::CloudFront::Function');
      expect(code.FunctionCode).toContain('const NEGOTIABLE_FORMATS = ["webp"];');
    });
  });

  describe('public preset URLs', () => {
    const ID = '01M81J7NMFPA5YKSZ1JXJWSHP5';
    /** The viewer-request function as deployed, given a path, a raw query and the client's headers. */
    const edgeOf = (synthesized: Synthesized) => {
      const handler = loadViewerRequestFunction(only(synthesized, 'AWS::CloudFront::Function').FunctionCode as string);
      return (uri: string, query = '') =>
        handler({
          request: {
            uri,
            querystring: Object.fromEntries([...new URLSearchParams(query)].map(([name, value]) => [name, { value }])),
            rawQueryString: () => query,
            headers: { accept: { value: 'image/avif,*/*' }, [FORMAT_HEADER]: { value: 'avif' } },
          },
        });
    };
    const presets = '{"card":{"w":400,"h":300,"format":"webp","public":true},"hero":{"w":1600}}';
    let opted: Synthesized;
    beforeAll(() => {
      opted = synth({ inference: 'none', renditionPresets: presets });
    });

    it('are off by default: the deployed function lets no public path through', () => {
      expect(only(s, 'AWS::CloudFront::Function').FunctionCode).toContain('const PUBLIC_FILES = [];');
      expect(edgeOf(s)(`/${ID}/card.webp`)).toMatchObject({ statusCode: 404 });
    });

    it("pass a public preset's file on with no query and no format header: its cache key is its path alone", () => {
      expect(only(opted, 'AWS::CloudFront::Function').FunctionCode).toContain('const PUBLIC_FILES = ["card.webp"];');
      const passed = edgeOf(opted)(`/${ID}/card.webp`);
      expect(passed).not.toHaveProperty('statusCode');
      expect((passed as { headers: Record<string, unknown> }).headers).not.toHaveProperty(FORMAT_HEADER);
      // The only other parts of the cache key: the query (refused when present, below) and that header.
      const policy = only(opted, 'AWS::CloudFront::CachePolicy').CachePolicyConfig as Record<string, unknown>;
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [FORMAT_HEADER] },
        CookiesConfig: { CookieBehavior: 'none' },
      });
    });

    it('refuse any query on the path with 400 and any file no public preset has with 404, before the cache', () => {
      const edge = edgeOf(opted);
      for (const query of ['w=1', 'cb=123', 'exp=1&kid=k&sig=s']) {
        expect(edge(`/${ID}/card.webp`, query)).toMatchObject({ statusCode: 400 });
      }
      for (const file of ['hero.jpg', 'card.avif', 'avatar.webp']) {
        expect(edge(`/${ID}/${file}`)).toMatchObject({ statusCode: 404 });
      }
    });

    it('are served by the render function from the settings it is given, with the public flag', () => {
      const variables = variablesOf(opted, opted.stack.renditions.renderFunction);
      const settings = RenditionSettingsSchema.parse(JSON.parse(variables.RENDITION_SETTINGS as string));
      expect(settings.renditionPresets.card).toEqual({ w: 400, h: 300, format: 'webp', public: true });
    });

    it('fail the synth, saying why, for a public preset without a format', () => {
      expect(() => synth({ inference: 'none', renditionPresets: '{"hero":{"w":1600,"public":true}}' })).toThrow(
        /renditionPresets\.hero: a public preset needs a format/,
      );
    });
  });

  describe('the signing secret', () => {
    it('is generated by Secrets Manager: no value in the template', () => {
      const secret = s.json.Resources[ids.secret]?.Properties ?? {};
      expect(secret.GenerateSecretString).toEqual({
        SecretStringTemplate: '{}',
        GenerateStringKey: 'secret',
        PasswordLength: 64,
        ExcludePunctuation: true,
      });
      expect(secret).not.toHaveProperty('SecretString');
    });

    it('rotates every renditionKeyRotationDays with the rotation function, not on deploys', () => {
      const schedule = only(s, 'AWS::SecretsManager::RotationSchedule');
      expect(schedule).toEqual({
        SecretId: { Ref: ids.secret },
        RotationLambdaARN: { 'Fn::GetAtt': [ids.rotation, 'Arn'] },
        RotationRules: { AutomaticallyAfterDays: 30 },
        RotateImmediatelyOnUpdate: false,
      });
      const weekly = only(
        synth({ inference: 'none', renditionKeyRotationDays: '7' }),
        'AWS::SecretsManager::RotationSchedule',
      );
      expect(weekly.RotationRules).toEqual({ AutomaticallyAfterDays: 7 });
    });

    it('lets only Secrets Manager invoke the rotation function, for this secret, from this account', () => {
      const permissions = resourcesOfType(s, 'AWS::Lambda::Permission')
        .map(([, resource]) => resource.Properties as Record<string, unknown>)
        .filter((p) => flattenReference(p.FunctionName) === `<${ids.rotation}.Arn>`);
      expect(permissions).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [ids.rotation, 'Arn'] },
          Principal: 'secretsmanager.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
          SourceArn: { Ref: ids.secret },
        },
      ]);
    });

    it('keeps old keys for the URL lifetime, its window and the key cache age', () => {
      expect(environmentOf(s, s.stack.renditions.rotationFunction)).toMatchObject({
        KEY_OVERLAP_SECONDS: String(3600 + EXPIRY_WINDOW_SECONDS + KEY_CACHE_SECONDS),
      });
    });

    it('is read by the render function, the rotation function and the functions told its ARN, no other', () => {
      const readers = new Set<string>();
      const writers = new Set<string>();
      for (const { document, roles } of identityPolicies(s.json)) {
        for (const statement of document.Statement) {
          const targets = [statement.Resource].flat().map(flattenReference);
          if (!targets.some((target) => target.includes(ids.secret) || target === '*')) continue;
          const actions = [statement.Action].flat() as string[];
          const reads = actions.some((action) => action.startsWith('secretsmanager:Get'));
          const writes = actions.some((action) => /^secretsmanager:(Put|Update)/.test(action));
          for (const role of roles) {
            if (reads) readers.add(role);
            if (writes) writers.add(role);
          }
        }
      }
      const signers = resourcesOfType(s, 'AWS::Lambda::Function')
        .filter(([, fn]) => {
          const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
          return flattenReference(variables.SIGNING_SECRET_ARN ?? '') === `<${ids.secret}>`;
        })
        .map(([id]) => roleOfFunction(s.json, id));
      const render = roleOfFunction(s.json, ids.render);
      const rotation = roleOfFunction(s.json, ids.rotation);
      expect(signers).toContain(render);
      expect([...readers].sort()).toEqual([...new Set([...signers, rotation])].sort());
      expect([...writers]).toEqual([rotation]);
    });

    it('gives a function grantSign names exactly the read of the secret', () => {
      const stack = new ImagePipelineStack(testApp(), 'Signing', {
        settings: parseDeploymentSettings({ inference: 'none' }),
      });
      const signer = new Role(stack, 'Signer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
      stack.renditions.grantSign(signer);
      const json = flattenedTemplate(stack);
      const secret = logicalIdOf(stack.renditions.signingSecret);
      const permissions = permissionsOfRole(json, logicalIdOf(signer));
      expect(permissions.filter((p) => p.action.startsWith('secretsmanager:'))).toEqual(
        READ_SECRET.map((action) => ({ action, resource: `<${secret}>` })),
      );
    });
  });

  it('gives a function grantDeleteRenditions the listing and deletion of renditions/ only', () => {
    const stack = new ImagePipelineStack(testApp(), 'Deleting', {
      settings: parseDeploymentSettings({ inference: 'none' }),
    });
    const deleter = new Role(stack, 'Deleter', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    stack.renditions.grantDeleteRenditions(deleter);
    const json = flattenedTemplate(stack);
    const bucket = `<${logicalIdOf(stack.storage.bucket)}.Arn>`;
    expect(permissionsOfRole(json, logicalIdOf(deleter))).toEqual([
      { action: 's3:ListBucket', resource: bucket },
      { action: 's3:DeleteObject', resource: `${bucket}/renditions/*` },
    ]);
    const statements = statementsOfRole(json, logicalIdOf(deleter)).filter((st) => st.Action === 's3:ListBucket');
    expect(statements.map((statement) => statement.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['renditions/*'] } },
    ]);
  });

  describe('roles', () => {
    it('give the render function exactly: the keys, the record and the share link, the sources, its renditions', () => {
      const permissions = permissionsOfFunction(s.json, ids.render);
      expect(actionsOf(permissions)).toEqual(
        [...BASE, ...READ_SECRET, 'dynamodb:GetItem', 's3:GetObject', 's3:ListBucket', 's3:PutObject'].sort(),
      );
      const bucket = `<${ids.bucket}.Arn>`;
      expect(resourcesFor(permissions, 's3:GetObject')).toEqual(
        [`${bucket}/renditions/*`, `${bucket}/thumbnails/*`, `${bucket}/uploads/*`].sort(),
      );
      expect(resourcesFor(permissions, 's3:PutObject')).toEqual([`${bucket}/renditions/*`]);
      // A URL a share link handed out is served only while the link is open: its item, read by key.
      const shares = s.stack.declaredTable(SHARES_TABLE.name).table;
      expect(resourcesFor(permissions, 'dynamodb:GetItem')).toEqual(
        [`<${logicalIdOf(s.stack.table.table)}.Arn>`, `<${logicalIdOf(shares)}.Arn>`].sort(),
      );
      expect(resourcesFor(permissions, 'secretsmanager:GetSecretValue')).toEqual([`<${ids.secret}>`]);
      expect(environmentOf(s, s.stack.renditions.renderFunction).SHARES_TABLE).toEqual({ Ref: logicalIdOf(shares) });
    });

    it('let the render function list only the prefixes it reads, so S3 answers a missing key 404, not 403', () => {
      const listing = statementsOfRole(s.json, roleOfFunction(s.json, ids.render)).filter((statement) =>
        [statement.Action].flat().includes('s3:ListBucket'),
      );
      expect(listing).toEqual([
        {
          Action: 's3:ListBucket',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [ids.bucket, 'Arn'] },
          Condition: { StringLike: { 's3:prefix': ['uploads/*', 'thumbnails/*', 'renditions/*'] } },
        },
      ]);
    });

    it('give the rotation function exactly: read the secret, put a version, move its stages; no random password', () => {
      const permissions = permissionsOfFunction(s.json, ids.rotation);
      expect(actionsOf(permissions)).toEqual(
        [
          ...BASE,
          // DescribeSecret: rotation reads which version holds which stage.
          'secretsmanager:DescribeSecret',
          ...READ_SECRET,
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ].sort(),
      );
      const secretActions = permissions.filter((p) => p.action.startsWith('secretsmanager:'));
      expect(new Set(secretActions.map((p) => p.resource))).toEqual(new Set([`<${ids.secret}>`]));
    });

    it.each(['render', 'rotation'] as const)('give the %s function no wildcard but X-Ray and key prefixes', (name) => {
      const permissions = permissionsOfFunction(s.json, ids[name]);
      expect(permissions.filter((p) => p.action.includes('*'))).toEqual([]);
      const wildcards = permissions.filter((p) => p.resource.includes('*'));
      expect(
        wildcards.filter(
          (p) => !p.action.startsWith('xray:') && !/\/(uploads|thumbnails|renditions)\/\*$/.test(p.resource),
        ),
      ).toEqual([]);
    });
  });

  describe('the render function', () => {
    it('runs on arm64 with 2048 MB by default, 30 s and the processor’s sharp layer', () => {
      const fn = s.json.Resources[ids.render]?.Properties ?? {};
      expect(fn).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 2048,
        Timeout: 30,
        TracingConfig: { Mode: 'Active' },
        Layers: [{ Ref: logicalIdOf(s.stack.processor.sharpLayer as never) }],
      });
    });

    it('gets the memory renditionMemoryMb gives it', () => {
      const fn = chosen().json.Resources[logicalIdOf(chosen().stack.renditions.renderFunction)]?.Properties ?? {};
      expect(fn.MemorySize).toBe(4096);
    });

    it.each([512, 10_241, 'lots'])('fails the synth, naming the setting, for renditionMemoryMb=%s', (memory) => {
      expect(() => parseDeploymentSettings({ renditionMemoryMb: memory })).toThrow(/renditionMemoryMb/);
    });

    it('carries sharp itself, without a layer, with sharpPackaging=bundle', () => {
      const bundled = synth({ inference: 'none', sharpPackaging: 'bundle' });
      const fn = bundled.json.Resources[logicalIdOf(bundled.stack.renditions.renderFunction)]?.Properties ?? {};
      expect(fn).not.toHaveProperty('Layers');
    });

    it('gets the rendition settings as one JSON variable its contract parses, compiled into its code', () => {
      expect(environmentOf(s, s.stack.renditions.renderFunction)).not.toHaveProperty('RENDITION_SETTINGS');
      const variables = variablesOf(s, s.stack.renditions.renderFunction);
      const settings = RenditionSettingsSchema.parse(JSON.parse(variables.RENDITION_SETTINGS as string));
      expect(settings).toMatchObject({ renditionMaxSide: 4096, renditionUrlTtlSeconds: 3600 });
      expect(Object.keys(settings.renditionPresets)).toEqual(['card', 'hero', 'avatar']);
      expect(variables.SIGNING_SECRET_ARN).toEqual({ Ref: ids.secret });
    });

    it('reads an image watermark from its own asset, where bundling copies it', () => {
      const watermarks = JSON.stringify({
        logo: { image: 'test/fixtures/formats/alpha.png' },
        credit: { text: '© Us' },
      });
      const marked = synth({ inference: 'none', watermarks });
      const variables = variablesOf(marked, marked.stack.renditions.renderFunction);
      expect(JSON.parse(variables.RENDITION_SETTINGS as string).watermarks).toEqual({
        logo: { image: 'watermarks/logo.png' },
        credit: { text: '© Us' },
      });
    });

    it('fails the synth, naming it, for a watermark file that does not exist', () => {
      const watermarks = JSON.stringify({ logo: { image: 'assets/missing-logo.png' } });
      const settings = parseDeploymentSettings({ inference: 'none', watermarks });
      expect(() => new ImagePipelineStack(testApp(), 'Missing', { settings })).toThrow(
        /Missing\/Renditions: watermarks\.logo: no file at .*assets\/missing-logo\.png/,
      );
    });
  });
});
