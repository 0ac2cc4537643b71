import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FILTERS } from '../../lambdas/core/render/rendition';
import { parseDeploymentSettings } from '../../lambdas/settings';
import type { WebConfig } from '../../lambdas/settings/web-config';
import { CLOUDFRONT_ORIGINS, type WebSite } from '../../lib/constructs/web-site';
import { ImagePipelineStack } from '../../lib/image-pipeline-stack';
import { declaredResources } from './support/api';
import { flattenReference } from './support/iam';
import { environmentOf, logicalIdOf, type Synthesized, synth, testApp } from './support/synth';

type Resource = Synthesized['json']['Resources'][string];
const ofType = (s: Synthesized, type: string): [string, Resource][] =>
  Object.entries(s.json.Resources).filter(([, resource]) => resource.Type === type);
/** The one resource of a type that `matches`; throws on none or several. */
const single = (s: Synthesized, type: string, matches: (id: string, resource: Resource) => boolean) => {
  const found = ofType(s, type).filter(([id, resource]) => matches(id, resource));
  if (found.length !== 1) throw new Error(`${found.length} matching ${type} resources, expected 1`);
  const [id, resource] = found[0] as [string, Resource];
  return { id, props: (resource.Properties ?? {}) as Record<string, unknown> };
};
const propsOf = (s: Synthesized, construct: IConstruct): Record<string, unknown> =>
  (s.json.Resources[logicalIdOf(construct)]?.Properties ?? {}) as Record<string, unknown>;
const webOf = (s: Synthesized): WebSite => {
  if (!s.stack.web) throw new Error('no web app in this stack');
  return s.stack.web;
};
const ref = (construct: IConstruct) => `<${logicalIdOf(construct)}>`;
/** `https://<WebDistribution.DomainName>`: the site's origin as flattenReference writes it. */
const siteOrigin = (s: Synthesized) => `https://<${logicalIdOf(webOf(s).distribution)}.DomainName>`;

/** The deployed `config.json`: the staged file with each deploy-time marker replaced by what it stands for. */
function deployedConfig(s: Synthesized): WebConfig {
  const resource = s.json.Resources[logicalIdOf(webOf(s).pagesDeployment.node.findChild('CustomResource'))];
  const props = resource?.Properties as { SourceObjectKeys: string[]; SourceMarkers: Record<string, unknown>[] };
  for (const [index, key] of props.SourceObjectKeys.entries()) {
    const file = path.join(s.app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const [marker, value] of Object.entries(props.SourceMarkers[index] ?? {})) {
      text = text.replaceAll(marker, flattenReference(value));
    }
    return JSON.parse(text) as WebConfig;
  }
  throw new Error('no config.json among the deployed sources');
}

/** The Content-Security-Policy header, directive to sources. */
function contentSecurityPolicy(s: Synthesized): Record<string, string[]> {
  const config = propsOf(s, webOf(s).responseHeadersPolicy).ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
  };
  const header = flattenReference(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  return Object.fromEntries(
    header.split('; ').map((directive) => {
      const [name, ...sources] = directive.split(' ');
      return [name as string, sources];
    }),
  );
}

interface RequestResult {
  uri?: string;
  statusCode?: number;
  headers?: Record<string, { value: string }>;
}

describe('web app hosting (auth=cognito, the default)', () => {
  let s: Synthesized;
  let web: WebSite;
  beforeAll(() => {
    s = synth({ inference: 'none' });
    web = webOf(s);
  });

  describe('the bucket', () => {
    it('blocks every public access, takes TLS only, encrypts with S3-managed keys and owns its objects', () => {
      expect(propsOf(s, web.bucket)).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(s.json.Resources[logicalIdOf(web.bucket)]).toMatchObject({ DeletionPolicy: 'Retain' });
    });

    it('lets only CloudFront read it, for this distribution alone; every other statement denies', () => {
      const policy = single(
        s,
        'AWS::S3::BucketPolicy',
        (_, resource) => flattenReference(resource.Properties?.Bucket) === ref(web.bucket),
      ).props;
      const statements = (policy.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
      const allows = statements.filter((statement) => statement.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      const [allow = {}] = allows;
      expect(allow).toMatchObject({ Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
      expect(flattenReference(allow.Resource)).toBe(`<${logicalIdOf(web.bucket)}.Arn>/*`);
      const sourceArn = (allow.Condition as { StringEquals: Record<string, unknown> }).StringEquals['AWS:SourceArn'];
      expect(flattenReference(sourceArn)).toBe(
        `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/${ref(web.distribution)}`,
      );
      expect(statements.filter((statement) => statement.Effect !== 'Deny')).toEqual(allows);
    });
  });

  describe('the distribution', () => {
    it('reads the bucket through an origin access control that signs every request, and no origin access identity', () => {
      s.template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      const oac = single(s, 'AWS::CloudFront::OriginAccessControl', (id) => id.startsWith('Web'));
      expect(oac.props.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      const config = propsOf(s, web.distribution).DistributionConfig as { Origins: Record<string, unknown>[] };
      expect(config.Origins).toHaveLength(1);
      expect(config.Origins[0]).toMatchObject({
        DomainName: { 'Fn::GetAtt': [logicalIdOf(web.bucket), 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [oac.id, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
    });

    it('redirects to HTTPS, serves GET and HEAD over HTTP/2 and 3, compressed, cached as each object says', () => {
      const config = propsOf(s, web.distribution).DistributionConfig as Record<string, unknown>;
      expect(config).toMatchObject({
        Enabled: true,
        HttpVersion: 'http2and3',
        PriceClass: 'PriceClass_100',
        DefaultCacheBehavior: {
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
          CachedMethods: ['GET', 'HEAD'],
          Compress: true,
          // The managed CachingOptimized policy: it honours the objects' Cache-Control.
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
          ResponseHeadersPolicyId: { Ref: logicalIdOf(web.responseHeadersPolicy) },
          FunctionAssociations: [
            {
              EventType: 'viewer-request',
              FunctionARN: { 'Fn::GetAtt': [logicalIdOf(web.requestFunction), 'FunctionARN'] },
            },
          ],
        },
        Logging: {
          Bucket: { 'Fn::GetAtt': [logicalIdOf(s.stack.renditions.logsBucket), 'RegionalDomainName'] },
          Prefix: 'web/',
        },
      });
      expect(config).not.toHaveProperty('DefaultRootObject');
    });

    it('serves from the price class webPriceClass names', () => {
      const chosen = synth({ inference: 'none', auth: 'none', webPriceClass: 'PriceClass_200' });
      const config = propsOf(chosen, webOf(chosen).distribution).DistributionConfig as Record<string, unknown>;
      expect(config.PriceClass).toBe('PriceClass_200');
      expect(() => parseDeploymentSettings({ webPriceClass: 'PriceClass_50' })).toThrow(/webPriceClass/);
    });

    it('outputs the app URL', () => {
      const outputs = (s.json.Outputs ?? {}) as Record<string, { Value: unknown }>;
      expect(flattenReference(outputs.WebAppUrl?.Value)).toBe(`${siteOrigin(s)}/app/`);
    });
  });

  describe('the security headers', () => {
    it('sends HSTS, nosniff, DENY framing, no referrer and noindex, over any origin header', () => {
      expect(propsOf(s, web.responseHeadersPolicy).ResponseHeadersPolicyConfig).toMatchObject({
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          // A share link's page has its token in its URL.
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          ContentSecurityPolicy: { Override: true },
        },
        CustomHeadersConfig: { Items: [{ Header: 'X-Robots-Tag', Value: 'noindex, nofollow', Override: true }] },
      });
    });

    it('runs only the app’s own scripts and styles, and is framed, based and posted nowhere else', () => {
      expect(contentSecurityPolicy(s)).toMatchObject({
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'self'"],
      });
    });

    it('shows images from the bucket and the renditions, and connects to the API, the bucket and the login', () => {
      const bucket = logicalIdOf(s.stack.storage.bucket);
      const buckets = [`https://<${bucket}.RegionalDomainName>`, `https://<${bucket}.DomainName>`];
      const login = `https://${ref(web.login?.domain as IConstruct)}.auth.<AWS::Region>.amazoncognito.com`;
      const csp = contentSecurityPolicy(s);
      expect(csp['img-src']).toEqual([
        "'self'",
        'data:',
        'blob:',
        ...buckets,
        `https://<${logicalIdOf(s.stack.renditions.distribution)}.DomainName>`,
      ]);
      expect(csp['connect-src']).toEqual([
        "'self'",
        `https://${ref(s.stack.api.api)}.execute-api.<AWS::Region>.<AWS::URLSuffix>`,
        ...buckets,
        login,
        'https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>',
      ]);
      expect(csp['form-action']).toEqual(["'self'", login]);
    });

    it('names no login host without auth=cognito', () => {
      const open = synth({ inference: 'none', auth: 'none' });
      const csp = contentSecurityPolicy(open);
      expect(csp['form-action']).toEqual(["'self'"]);
      expect(csp['connect-src']?.join(' ')).not.toMatch(/cognito/);
    });
  });

  describe('the viewer-request function, as deployed', () => {
    let handler: (event: { request: { uri: string } }) => RequestResult;
    beforeAll(() => {
      const fn = propsOf(s, web.requestFunction);
      expect(fn.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
      const context = vm.createContext({});
      vm.runInContext(fn.FunctionCode as string, context);
      handler = vm.runInContext('handler', context) as typeof handler;
    });
    const run = (uri: string) => handler({ request: { uri } });

    it.each(['/', '/app'])('redirects %s to the app', (uri) => {
      expect(run(uri)).toEqual({
        statusCode: 302,
        statusDescription: 'Found',
        headers: { location: { value: '/app/' } },
      });
    });

    it.each(['/app/', '/app/images/01JZ8Q4W6Y3V2N5K7M9P0R1S2T', '/app/search', '/app/images/01JZ/similar'])(
      'answers the client-side route %s with the app page',
      (uri) => {
        expect(run(uri).uri).toBe('/app/index.html');
      },
    );

    it.each([
      '/app/assets/index-Fx1Tu2e3.js',
      '/app/config.json',
      '/app/favicon.svg',
      '/app/assets/missing.css',
      '/other',
      '/robots.txt',
    ])('passes %s to the bucket unchanged (a missing file stays an error)', (uri) => {
      expect(run(uri)).toEqual({ uri });
    });
  });

  describe('the deployment', () => {
    it('uploads the hashed assets first, kept a year and never pruned', () => {
      const assets = propsOf(s, web.assetsDeployment.node.findChild('CustomResource'));
      expect(assets).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(web.bucket) },
        DestinationBucketKeyPrefix: 'app/assets/',
        Prune: false,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      });
      expect(assets).not.toHaveProperty('DistributionId');
    });

    it('then the pages and config.json, revalidated on every load, pruned but for the assets, and invalidated', () => {
      const id = logicalIdOf(web.pagesDeployment.node.findChild('CustomResource'));
      expect(s.json.Resources[id]?.DependsOn).toEqual(
        expect.arrayContaining([logicalIdOf(web.assetsDeployment.node.findChild('CustomResource'))]),
      );
      expect(s.json.Resources[id]?.Properties).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(web.bucket) },
        DestinationBucketKeyPrefix: 'app/',
        Prune: true,
        Exclude: ['assets/*'],
        SystemMetadata: { 'cache-control': 'no-cache' },
        DistributionId: { Ref: logicalIdOf(web.distribution) },
        DistributionPaths: ['/app/favicon.svg', '/app/index.html', '/app/config.json'],
      });
    });

    it('writes config.json with the API URL, the hosted login, the upload limits and the rendition ones', () => {
      const pool = s.stack.api.auth.userPool as IConstruct;
      expect(deployedConfig(s)).toEqual({
        apiUrl: `https://${ref(s.stack.api.api)}.execute-api.<AWS::Region>.<AWS::URLSuffix>/${ref(s.stack.api.api.deploymentStage)}`,
        auth: {
          mode: 'cognito',
          authority: `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/${ref(pool)}`,
          domain: `https://${ref(web.login?.domain as IConstruct)}.auth.<AWS::Region>.amazoncognito.com`,
          clientId: ref(web.loginClient as IConstruct),
          scope: 'openid email profile',
        },
        maxUploadBytes: 25 * 1024 * 1024,
        maxRawUploadBytes: 150 * 1024 * 1024,
        allowedTypes: parseDeploymentSettings({}).allowedTypes,
        renditions: {
          maxSide: 4096,
          maxDpr: 3,
          formats: ['jpeg', 'png', 'webp', 'avif'],
          filters: [...FILTERS],
        },
        faceGrouping: false,
        webhooks: true,
        trashDays: 30,
      });
    });

    it('fails the synth, naming npm run build:web, when the app was not built', () => {
      const empty = mkdtempSync(path.join(tmpdir(), 'image-intel-no-web-'));
      try {
        expect(
          () =>
            new ImagePipelineStack(testApp(), 'Test', {
              settings: parseDeploymentSettings({ inference: 'none' }),
              webAppDirectory: empty,
            }),
        ).toThrow(/no built web app in .*: run `npm run build:web`.*-c webApp=false/);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  describe('the hosted login', () => {
    it('adds a domain to the pool, prefixed with the stack’s own id', () => {
      expect(propsOf(s, web.login?.domain as IConstruct)).toEqual({
        Domain: {
          'Fn::Join': ['', ['image-intel-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }]],
        },
        UserPoolId: { Ref: logicalIdOf(s.stack.api.auth.userPool as IConstruct) },
      });
      const named = synth({ inference: 'none', webAuthDomainPrefix: 'example-photos' });
      named.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-photos' });
    });

    it('refuses a prefix Cognito would refuse, naming the setting', () => {
      expect(() => parseDeploymentSettings({ webAuthDomainPrefix: 'my-cognito-login' })).toThrow(
        /webAuthDomainPrefix: Cognito refuses aws, amazon and cognito/,
      );
      expect(() => parseDeploymentSettings({ webAuthDomainPrefix: 'Photos' })).toThrow(/webAuthDomainPrefix: /);
      expect(() => parseDeploymentSettings({ auth: 'apikey', webAuthDomainPrefix: 'photos' })).toThrow(
        /webAuthDomainPrefix: only used with webApp and auth=cognito/,
      );
    });

    it('gives the app a public client for the code grant, back to the app alone', () => {
      const client = propsOf(s, web.loginClient as IConstruct);
      expect(client).toMatchObject({
        UserPoolId: { Ref: logicalIdOf(s.stack.api.auth.userPool as IConstruct) },
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        RefreshTokenValidity: 10_080,
        TokenValidityUnits: { RefreshToken: 'minutes' },
      });
      for (const urls of [client.CallbackURLs, client.LogoutURLs]) {
        expect((urls as unknown[]).map(flattenReference)).toEqual([`${siteOrigin(s)}/app/`]);
      }
    });

    it('with an existing pool, adds the client to it and signs in on the domain webAuthDomain names', () => {
      const existing = synth({
        inference: 'none',
        userPoolId: 'eu-west-1_AbCdEf123',
        webAuthDomain: 'https://login.example.com/',
      });
      existing.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
      existing.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        UserPoolId: 'eu-west-1_AbCdEf123',
        AllowedOAuthFlows: ['code'],
      });
      const { auth } = deployedConfig(existing);
      expect(auth).toMatchObject({
        mode: 'cognito',
        authority: 'https://cognito-idp.eu-west-1.<AWS::URLSuffix>/eu-west-1_AbCdEf123',
        domain: 'https://login.example.com',
      });
      expect(contentSecurityPolicy(existing)['connect-src']).toEqual(
        expect.arrayContaining(['https://login.example.com', 'https://cognito-idp.eu-west-1.<AWS::URLSuffix>']),
      );
    });

    it('with an existing pool and no webAuthDomain, fails naming the setting and the way out', () => {
      expect(() => parseDeploymentSettings({ userPoolId: 'eu-west-1_AbCdEf123' })).toThrow(
        /webAuthDomain: .*-c webAuthDomain=https:\/\/<prefix>\.auth\.<region>\.amazoncognito\.com, or .*-c webApp=false/,
      );
      expect(parseDeploymentSettings({ userPoolId: 'eu-west-1_AbCdEf123', webApp: 'false' }).webApp).toBe(false);
      expect(() => parseDeploymentSettings({ webAuthDomain: 'https://login.example.com' })).toThrow(
        /webAuthDomain: only used with webApp, auth=cognito and userPoolId/,
      );
      expect(() =>
        parseDeploymentSettings({ userPoolId: 'eu-west-1_AbCdEf123', webAuthDomain: 'http://login.example.com' }),
      ).toThrow(/webAuthDomain: an https URL/);
    });
  });

  describe('CORS', () => {
    let cors: Synthesized;
    beforeAll(() => {
      cors = synth({ inference: 'none', corsOrigins: 'https://a.example' });
    });

    it('answers the API’s preflight for the site beside the configured origins', () => {
      const preflights = ofType(cors, 'AWS::ApiGateway::Method').filter(
        ([, method]) => method.Properties?.HttpMethod === 'OPTIONS',
      );
      expect(preflights).toHaveLength(declaredResources().size);
      for (const [, preflight] of preflights) {
        const integration = preflight.Properties?.Integration as { IntegrationResponses: Record<string, unknown>[] };
        const [response = {}] = integration.IntegrationResponses;
        const headers = response.ResponseParameters as Record<string, unknown>;
        expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'https://a.example'");
        const templates = response.ResponseTemplates as Record<string, unknown>;
        expect(flattenReference(templates['application/json'])).toContain(`$origin == "${siteOrigin(cors)}"`);
      }
    });

    it('tells the handlers the site’s origin beside the configured ones', () => {
      for (const fn of [cors.stack.api.handlers.named('create-upload'), cors.stack.api.handlers.named('list-images')]) {
        expect(flattenReference(environmentOf(cors, fn).CORS_ORIGINS)).toBe(`https://a.example,${siteOrigin(cors)}`);
      }
    });

    it('lets API Gateway’s own errors (401, 403, 429) be read by the site', () => {
      for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
        const response = single(
          cors,
          'AWS::ApiGateway::GatewayResponse',
          (_, resource) => resource.Properties?.ResponseType === type,
        ).props;
        const headers = response.ResponseParameters as Record<string, unknown>;
        expect(flattenReference(headers['gatewayresponse.header.Access-Control-Allow-Origin'])).toBe(
          `'${siteOrigin(cors)}'`,
        );
      }
    });

    it('lets the site POST uploads to the images bucket, beside the configured origins', () => {
      expect(propsOf(cors, cors.stack.storage.bucket).CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedHeaders: ['*'],
            AllowedMethods: ['POST'],
            AllowedOrigins: ['https://a.example', CLOUDFRONT_ORIGINS],
            MaxAge: 3000,
          },
        ],
      });
      // The pattern, not the exact domain (the construct says why): it covers every *.cloudfront.net origin.
      expect(CLOUDFRONT_ORIGINS).toBe('https://*.cloudfront.net');
    });
  });
});

describe.each([
  { auth: 'apikey', expected: { mode: 'apikey' } },
  { auth: 'none', expected: { mode: 'none' } },
])('web app hosting with auth=$auth', ({ auth, expected }) => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      inference: 'none',
      auth,
      maxUploadBytes: '1048576',
      allowedTypes: 'image/jpeg,image/png',
      renditionMaxSide: '2048',
      renditionMaxDpr: '2',
      renditionFormats: 'webp,jpeg',
      renditionFilters: 'blur,grayscale',
    });
  });

  it(`writes config.json with auth mode ${auth} and the deployment's upload and rendition limits`, () => {
    expect(deployedConfig(s)).toEqual({
      apiUrl: `https://${ref(s.stack.api.api)}.execute-api.<AWS::Region>.<AWS::URLSuffix>/${ref(s.stack.api.api.deploymentStage)}`,
      auth: expected,
      maxUploadBytes: 1_048_576,
      maxRawUploadBytes: 150 * 1024 * 1024,
      allowedTypes: ['image/jpeg', 'image/png'],
      renditions: { maxSide: 2048, maxDpr: 2, formats: ['webp', 'jpeg'], filters: ['blur', 'grayscale'] },
      faceGrouping: false,
      webhooks: true,
      trashDays: 30,
    });
  });

  it('adds no login domain and no client', () => {
    s.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    s.template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  });
});

describe('webApp=false', () => {
  it('creates no site bucket, distribution, deployment, login or output, and no CORS origin for it', () => {
    const s = synth({ inference: 'none', webApp: 'false' });
    expect(s.stack.web).toBeUndefined();
    // The site's construct is `Web` (WebBucket..., WebDistribution...); `Webhooks` is another.
    expect(Object.keys(s.json.Resources).filter((id) => /^Web(?!hooks)/.test(id))).toEqual([]);
    s.template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    s.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    s.template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    s.template.resourcePropertiesCountIs('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: Match.anyValue() }, 0);
    s.template.resourcePropertiesCountIs('AWS::S3::Bucket', { CorsConfiguration: Match.anyValue() }, 0);
    s.template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' }, 0);
    expect(Object.keys(s.json.Outputs ?? {})).not.toContain('WebAppUrl');
  });

  it('is on unless the context says false', () => {
    expect(parseDeploymentSettings({}).webApp).toBe(true);
    expect(parseDeploymentSettings({ webApp: 'false' }).webApp).toBe(false);
    expect(parseDeploymentSettings({ webApp: false }).webApp).toBe(false);
  });
});
