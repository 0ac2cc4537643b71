import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IUserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../../lambdas/settings';
import {
  WEB_APP_HEADERS,
  WEB_BASE,
  type WebAuthConfig,
  type WebConfigSettings,
  webConfigOf,
} from '../../lambdas/settings/web-config';
import { acknowledge, acknowledgeBucketDeployment } from '../nag';
import { privateBucketProps } from './image-storage';
import { REPO_ROOT } from './node-function';
import type { RoomStacks } from './room-stacks';
import { WebLogin } from './web-login';

/**
 * What shapes the site: the auth mode and its login settings, the upload and rendition limits the app checks, the
 * price class, whether the app shows people (`faceGrouping`) and webhooks (`webhooks`).
 */
export type WebSiteSettings = Pick<
  DeploymentSettings,
  'auth' | 'userPoolId' | 'maxUploadBytes' | 'allowedTypes' | 'webPriceClass' | 'webAuthDomain' | 'webAuthDomainPrefix'
> &
  WebConfigSettings;

/** Where `npm run build:web` writes the app. */
export const WEB_DIST = path.join(REPO_ROOT, 'web', 'dist');

/**
 * The site's origin as the images bucket's CORS rule allows it. A pattern, not the exact domain: the rule naming the
 * distribution would make the bucket depend on it, while the distribution depends on the bucket (its CSP names it, and
 * the renditions, whose function's policy names it); a cycle. Little is lost: the bucket answers only presigned
 * requests and no cookies, so an allowed origin gains nothing a script without the signature could not do anyway.
 */
export const CLOUDFRONT_ORIGINS = 'https://*.cloudfront.net';

/** Vite's content-hashed output: a changed file gets a new name, so browsers and the CDN may keep one for a year. */
const IMMUTABLE = CacheControl.fromString('public, max-age=31536000, immutable');

const PRICE_CLASSES: Record<DeploymentSettings['webPriceClass'], PriceClass> = {
  PriceClass_100: PriceClass.PRICE_CLASS_100,
  PriceClass_200: PriceClass.PRICE_CLASS_200,
  PriceClass_All: PriceClass.PRICE_CLASS_ALL,
};

/**
 * The viewer-request function: `/` and `/app` go to the app; an app path whose last segment has no extension is a
 * client-side route (`/app/images/<id>`), answered with the app's page; anything else goes to the bucket as asked,
 * so a missing asset is still an error (403: the origin access control may not list the bucket).
 */
export const WEB_REQUEST_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${WEB_BASE.slice(0, -1)}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${WEB_BASE}' } } };
  }
  if (uri.indexOf('${WEB_BASE}') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '${WEB_BASE}index.html';
  }
  return request;
}
`;

export interface WebSiteProps {
  /** Where the files' deployments go (CDK's copying function and its layer): a stack of their own. @default - here */
  readonly rooms?: RoomStacks;
  readonly settings: WebSiteSettings;
  /** The API the app calls: its URL goes into `config.json`, its origin into the CSP's `connect-src`. */
  readonly api: RestApi;
  /** With `auth=cognito`: the pool the app signs in to. Required then. */
  readonly userPool?: IUserPool;
  /** The images bucket: the app uploads to it (presigned POSTs) and shows its objects (presigned GETs). */
  readonly imagesBucket: IBucket;
  /** Other origins the app shows images from (the renditions distribution's `https://` URL). @default [] */
  readonly imageOrigins?: readonly string[];
  /** The built app (`index.html` and `assets/`). @default WEB_DIST, `web/dist` */
  readonly directory?: string;
  /**
   * Where the distribution writes its standard logs (under `web/`); the bucket must keep object ACLs
   * (ObjectWriter), as CloudFront's legacy log delivery needs. @default - no access logs
   */
  readonly accessLogsBucket?: IBucket;
  /** Delete the site's bucket and its objects with the stack. @default false - the bucket is retained */
  readonly destroyOnRemove?: boolean;
  /** The WAF web ACL (CLOUDFRONT scope, in us-east-1) in front of the distribution. @default - none */
  readonly webAclArn?: string;
}

/**
 * The web app's hosting: a private bucket read only by its CloudFront distribution (origin access control), security
 * headers with a strict CSP, a viewer-request function for the single-page routes, and the build deployed with a
 * generated `config.json` (the API URL and how to sign in). With `auth=cognito` also the hosted login and the app's
 * client in the pool (`WebLogin`).
 */
export class WebSite extends Construct {
  public readonly bucket: Bucket;
  public readonly requestFunction: CloudFrontFunction;
  public readonly responseHeadersPolicy: ResponseHeadersPolicy;
  public readonly distribution: Distribution;
  /** With `auth=cognito`: the hosted login. */
  public readonly login?: WebLogin;
  /** With `auth=cognito`: the app's public client (code grant, no secret). */
  public readonly loginClient?: UserPoolClient;
  /** The hashed assets (`app/assets/`), kept a year, never pruned: a page loaded before a deploy still finds its own. */
  public readonly assetsDeployment: BucketDeployment;
  /** `index.html`, the other unhashed files and `config.json`, revalidated on every load; invalidated on deploy. */
  public readonly pagesDeployment: BucketDeployment;
  /** The `auth` part of `config.json`. */
  public readonly authConfig: WebAuthConfig;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    const { settings } = props;
    const directory = props.directory ?? WEB_DIST;
    // Checked here, where the fix can be named; the asset would fail later with a bare ENOENT.
    if (!existsSync(path.join(directory, 'index.html')) || !existsSync(path.join(directory, 'assets'))) {
      throw new Error(
        `${this.node.path}: no built web app in ${directory} (index.html and assets/): run \`npm run build:web\` ` +
          'before the synth, or leave the app out with -c webApp=false',
      );
    }
    const destroy = props.destroyOnRemove ?? false;

    this.bucket = new Bucket(this, 'Bucket', privateBucketProps(destroy));
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      "The bucket holds only the app's build output, written by the deployment and read only by the distribution " +
        '(origin access control), whose access logs record every request.',
    );

    const { userPool } = props;
    if (settings.auth === 'cognito' && !userPool)
      throw new Error(`${this.node.path}: auth=cognito needs the user pool`);
    const login =
      settings.auth === 'cognito' && userPool ? new WebLogin(this, 'Login', { userPool, settings }) : undefined;
    this.login = login;
    this.requestFunction = new CloudFrontFunction(this, 'RequestFunction', {
      comment: 'image-intel web app: / to /app/, client-side routes to the app page',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(WEB_REQUEST_CODE),
    });
    // The headers the runner sends too (WEB_APP_HEADERS), CloudFront's security ones by their settings, the rest as
    // custom headers; with the CSP and HSTS, which name this deployment's origins.
    const {
      'X-Content-Type-Options': _nosniff,
      'X-Frame-Options': frameOption,
      'Referrer-Policy': referrerPolicy,
      ...custom
    } = WEB_APP_HEADERS;
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'ResponseHeaders', {
      comment: 'image-intel web app: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: this.contentSecurityPolicy(props),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        // `nosniff`, the one value CloudFront has.
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: enumMember(HeadersFrameOption, frameOption), override: true },
        referrerPolicy: { referrerPolicy: enumMember(HeadersReferrerPolicy, referrerPolicy), override: true },
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(custom).map(([header, value]) => ({ header, value, override: true })),
      },
    });
    this.distribution = this.createDistribution(props);
    const client = login?.addAppClient(this.url);
    this.loginClient = client;
    this.authConfig =
      login && client ? login.configFor(client) : { mode: settings.auth === 'apikey' ? 'apikey' : 'none' };

    [this.assetsDeployment, this.pagesDeployment] = this.deploy(props, directory);
  }

  /** `https://<distribution domain>`: the origin the API allows (CORS); the images bucket allows CLOUDFRONT_ORIGINS. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** `https://<distribution domain>/app/`: the app, and the hosted login's callback and sign-out URL. */
  get url(): string {
    return `${this.origin}${WEB_BASE}`;
  }

  /**
   * Only the app's own files run; it talks to the API, the images bucket (presigned POST uploads) and, signing in,
   * the hosted login and the pool's issuer; it shows images from the bucket (presigned GETs) and the renditions.
   * The bucket by its regional host (the SDK's presigned URLs) and its global one (which us-east-1 may use).
   */
  private contentSecurityPolicy(props: WebSiteProps): string {
    const stack = Stack.of(this);
    const loginOrigins = this.login ? [this.login.domainUrl, this.login.identityProviderUrl] : [];
    const api = `https://${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    const { imagesBucket } = props;
    const bucket = [`https://${imagesBucket.bucketRegionalDomainName}`, `https://${imagesBucket.bucketDomainName}`];
    const sources = (...list: readonly string[]) => list.join(' ');
    return [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src ${sources("'self'", 'data:', 'blob:', ...bucket, ...(props.imageOrigins ?? []))}`,
      `connect-src ${sources("'self'", api, ...bucket, ...loginOrigins)}`,
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      `form-action ${sources("'self'", ...loginOrigins.slice(0, 1))}`,
    ].join('; ');
  }

  private createDistribution(props: WebSiteProps): Distribution {
    const distribution = new Distribution(this, 'Distribution', {
      comment: 'image-intel web app',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        // Honours each object's Cache-Control: a year for the hashed assets, revalidation for the pages.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ function: this.requestFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PRICE_CLASSES[props.settings.webPriceClass],
      ...(props.accessLogsBucket
        ? { enableLogging: true, logBucket: props.accessLogsBucket, logFilePrefix: 'web/' }
        : { enableLogging: false }),
      webAclId: props.webAclArn,
    });
    if (!props.accessLogsBucket) {
      acknowledge(distribution, 'AwsSolutions-CFR3', 'Access logs were left out by the caller (no log bucket given).');
    }
    acknowledge(
      distribution,
      'AwsSolutions-CFR1',
      'The web app is for the deployment’s users wherever they are; no country is excluded by default.',
    );
    if (!props.webAclArn) {
      acknowledge(
        distribution,
        'AwsSolutions-CFR2',
        'No WAF web ACL was given (the waf setting is off, or the stack was made without its us-east-1 stack): the ' +
          'distribution serves only static files with GET and HEAD; the API it calls has its own auth and throttling.',
      );
    }
    acknowledge(
      distribution,
      'AwsSolutions-CFR4',
      "The distribution uses CloudFront's default *.cloudfront.net certificate (no custom domain), whose minimum " +
        'viewer protocol CloudFront fixes; viewers are redirected to HTTPS.',
    );
    return distribution;
  }

  /**
   * Two deployments into `app/`: the hashed assets first, then the pages and `config.json` (whose values are
   * deploy-time tokens), so a new page never points at assets not uploaded yet. Only the pages are invalidated.
   */
  private deploy(props: WebSiteProps, directory: string): [BucketDeployment, BucketDeployment] {
    // They hold nothing (the files are in the bucket, kept when a deployment goes): seven resources out of the root.
    const scope = props.rooms?.apart('web', 'files') ?? this;
    const assets = new BucketDeployment(scope, 'DeployAssets', {
      sources: [Source.asset(path.join(directory, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: `${WEB_BASE.slice(1)}assets/`,
      cacheControl: [IMMUTABLE],
      prune: false,
    });
    const config = webConfigOf(props.settings, this.apiUrl(props.api), this.authConfig);
    const pageFiles = readdirSync(directory).filter((name) => statSync(path.join(directory, name)).isFile());
    const pages = new BucketDeployment(scope, 'DeployPages', {
      sources: [Source.asset(directory, { exclude: ['assets'] }), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: WEB_BASE.slice(1),
      // Pruning removes what the build no longer has, except the assets, which old pages may still load.
      exclude: ['assets/*'],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: [...pageFiles, 'config.json'].map((name) => `${WEB_BASE}${name}`),
    });
    pages.node.addDependency(assets);
    // Each deployment makes an AWS CLI layer, but the function they share (one per stack) uses the first one's.
    pages.node.tryRemoveChild('AwsCliLayer');
    acknowledgeBucketDeployment(pages, this.bucket);
    return [assets, pages];
  }

  /** The stage's URL without its trailing slash, as `config.json` has it. */
  private apiUrl(api: RestApi): string {
    const stack = Stack.of(this);
    return `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${api.deploymentStage.stageName}`;
  }
}

/** The member of a CDK string enum whose value a header has, so a value CloudFront has no setting for fails synth. */
function enumMember<E extends Record<string, string>>(members: E, value: string): E[keyof E] {
  const member = Object.values(members).find((one) => one === value);
  if (member === undefined) throw new Error(`CloudFront has no setting for the header value ${value}`);
  return member as E[keyof E];
}
