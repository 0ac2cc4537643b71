import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  type ErrorResponse,
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
import { FunctionUrlOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Grant, type IGrantable, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType, type ILayerVersion, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { renditionRequestCode } from '../../lambdas/edge/rendition-request-code';
import {
  type RenderImageWiring,
  environmentFor as renderEnvironment,
  watermarkAssetPath,
} from '../../lambdas/functions/render-image/contract';
import { environmentFor as rotationEnvironment } from '../../lambdas/functions/rotate-rendition-key/contract';
import { RENDITION_PREFIX, RENDITION_QUERY_NAMES } from '../../lambdas/renditions/query';
import { EXPIRY_WINDOW_SECONDS } from '../../lambdas/renditions/signing';
import { KEY_CACHE_SECONDS } from '../../lambdas/renditions/signing-keys';
import type { DeploymentSettings } from '../../lambdas/settings/index';
import { THUMBNAIL_PREFIX, UPLOAD_PREFIX } from '../../lambdas/store/keys';
import { sharpBundlingHooks } from '../../layers/sharp/build';
import { acknowledge } from '../nag';
import type { ImageStorage } from './image-storage';
import { type FunctionBasicsProps, NodeFunction, REPO_ROOT } from './node-function';
import type { ResultsTable } from './results-table';

/** The header the viewer-request function sets from Accept; the only header in the cache key. */
export const FORMAT_HEADER = 'x-rendition-format';

/** What the render function reads (its contract's settings), what shapes the key rotation, the function and the CDN. */
export type RenditionsSettings = RenderImageWiring['settings'] &
  Pick<DeploymentSettings, 'renditionKeyRotationDays' | 'renditionMemoryMb' | 'renditionPriceClass'>;

const PRICE_CLASSES: Record<DeploymentSettings['renditionPriceClass'], PriceClass> = {
  PriceClass_100: PriceClass.PRICE_CLASS_100,
  PriceClass_200: PriceClass.PRICE_CLASS_200,
  PriceClass_All: PriceClass.PRICE_CLASS_ALL,
};

export interface RenditionsProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  /**
   * The deployment's settings: besides the render function's, `renditionMemoryMb` (its memory) and
   * `renditionPriceClass` (the distribution's).
   */
  readonly settings: RenditionsSettings;
  /**
   * sharp for linux-arm64, shared with the processor. @default - sharp is installed into the render function's own
   * asset (`sharpPackaging=bundle`)
   */
  readonly sharpLayer?: ILayerVersion;
  /** The render function's timeout; CloudFront waits as long for its first byte, up to 60 s. @default 30 s */
  readonly timeout?: Duration;
  /** Delete the distribution's access logs with the stack. @default false - the log bucket is retained */
  readonly destroyOnRemove?: boolean;
  /** How long the distribution's access logs are kept. @default Duration.days(90) */
  readonly accessLogExpiration?: Duration;
}

/**
 * Renditions on request: a CloudFront distribution in front of the render function's URL (IAM auth, reached only
 * through origin access control, streaming, so no 6 MB ceiling), a viewer-request function that refuses unsigned
 * and expired URLs at the edge and keys the cache on the spec and the negotiated format, and the secret of keys the
 * URLs are signed with, rotated by its own function. Images stay private: every URL is signed by the API
 * (`grantSign`) and verified by the render function.
 */
export class Renditions extends Construct {
  public readonly signingSecret: Secret;
  public readonly rotationFunction: NodeFunction;
  public readonly rotationSchedule: CfnRotationSchedule;
  public readonly renderFunction: NodeFunction;
  public readonly functionUrl: FunctionUrl;
  public readonly requestFunction: CloudFrontFunction;
  public readonly cachePolicy: CachePolicy;
  public readonly responseHeadersPolicy: ResponseHeadersPolicy;
  public readonly logsBucket: Bucket;
  public readonly distribution: Distribution;
  private readonly storage: ImageStorage;

  constructor(scope: Construct, id: string, props: RenditionsProps) {
    super(scope, id);
    const { settings, storage, table } = props;
    this.storage = storage;
    const functionBasics = { logRetention: props.logRetention, logRemovalPolicy: props.logRemovalPolicy };

    this.signingSecret = new Secret(this, 'SigningKey', {
      description: 'image-intel: the keys rendition URLs are signed with (rotated; see rendition-keys.ts)',
      // Secrets Manager makes the first value itself: no key is ever in the template, the code or a deploy log.
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    this.rotationFunction = new NodeFunction(this, 'RotationFunction', {
      ...functionBasics,
      entry: 'lambdas/functions/rotate-rendition-key/handler.ts',
      serviceName: 'image-intel-rotate-rendition-key',
      description: 'Rotates the rendition signing keys, keeping old keys while URLs signed with them live',
      timeout: Duration.seconds(30),
      environment: rotationEnvironment({
        urlTtlSeconds: settings.renditionUrlTtlSeconds,
        expiryWindowSeconds: EXPIRY_WINDOW_SECONDS,
        propagationSeconds: KEY_CACHE_SECONDS,
      }),
    });
    this.rotationSchedule = this.scheduleRotation(settings.renditionKeyRotationDays);

    this.renderFunction = new NodeFunction(this, 'RenderFunction', {
      ...functionBasics,
      entry: 'lambdas/functions/render-image/handler.ts',
      serviceName: 'image-intel-render-image',
      description: 'Renders, stores and streams a signed rendition of an image',
      memorySize: settings.renditionMemoryMb,
      timeout: props.timeout ?? Duration.seconds(30),
      layers: props.sharpLayer ? [props.sharpLayer] : undefined,
      externalModules: ['sharp'],
      commandHooks: watermarkBundlingHooks(this, settings.watermarks, props.sharpLayer === undefined),
      environment: {
        ...renderEnvironment({
          tableName: table.table.tableName,
          bucketName: storage.bucket.bucketName,
          signingSecretArn: this.signingSecret.secretArn,
          settings,
          watermarkFiles: 'bundle',
        }),
        // glibc's per-thread arenas fragment under libvips' worker threads, as in the processor.
        MALLOC_ARENA_MAX: '2',
      },
    });
    this.grantSign(this.renderFunction);
    table.grantItems(this.renderFunction, 'GetItem');
    storage.grantObjects(this.renderFunction, UPLOAD_PREFIX, 's3:GetObject');
    storage.grantObjects(this.renderFunction, THUMBNAIL_PREFIX, 's3:GetObject');
    storage.grantObjects(this.renderFunction, RENDITION_PREFIX, 's3:GetObject', 's3:PutObject');
    // So that S3 answers a missing key 404 NoSuchKey, not 403: a rendition's first request, a missing thumbnail.
    grantListing(this.renderFunction, storage, [UPLOAD_PREFIX, THUMBNAIL_PREFIX, RENDITION_PREFIX]);

    // IAM auth: the URL answers only requests signed by an allowed principal, here CloudFront's origin access control.
    this.functionUrl = this.renderFunction.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });

    this.requestFunction = new CloudFrontFunction(this, 'RequestFunction', {
      comment: 'image-intel renditions: refuse unsigned or expired URLs, order the query, negotiate the format',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(
        renditionRequestCode({ queryNames: RENDITION_QUERY_NAMES, formats: settings.renditionFormats }),
      ),
    });
    this.cachePolicy = this.createCachePolicy(settings.renditionUrlTtlSeconds);
    this.responseHeadersPolicy = this.createResponseHeadersPolicy();
    this.logsBucket = this.createLogsBucket(props);
    this.distribution = this.createDistribution(props);
  }

  /** `https://<distribution domain>`: where rendition URLs (`/<imageId>?<spec>&exp&kid&sig`) point. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Let a function sign rendition URLs: read the key set (GetSecretValue, DescribeSecret) and nothing else. For the
   * API functions that issue URLs (get-image, create-rendition); the render function verifies with the same access.
   */
  grantSign(grantee: IGrantable): Grant {
    return this.signingSecret.grantRead(grantee);
  }

  /**
   * Let a function delete an image's stored renditions: list `renditions/` (the keys are hashes no record names) and
   * delete objects under it, nothing else. For delete-image.
   */
  grantDeleteRenditions(grantee: IGrantable): Grant[] {
    return [
      grantListing(grantee, this.storage, [RENDITION_PREFIX]),
      this.storage.grantObjects(grantee, RENDITION_PREFIX, 's3:DeleteObject'),
    ];
  }

  /**
   * Rotation every `days`, by the rotation function. Written without `Secret.addRotationSchedule`, which would also
   * grant `secretsmanager:GetRandomPassword` on "*": the function makes its keys with `crypto.randomBytes`.
   */
  private scheduleRotation(days: number): CfnRotationSchedule {
    const secret = this.signingSecret;
    const fn = this.rotationFunction;
    secret.grantRead(fn);
    // `Secret.grantWrite` would add secretsmanager:UpdateSecret (description, KMS key); a rotation only puts a
    // version and moves the AWSCURRENT stage.
    Grant.addToPrincipal({
      grantee: fn,
      actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      resourceArns: [secret.secretArn],
    });
    // Only Secrets Manager, only for this secret, only from this account (the confused-deputy conditions).
    fn.addPermission('InvokedBySecretsManager', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: secret.secretArn,
      sourceAccount: Stack.of(this).account,
    });
    const schedule = new CfnRotationSchedule(this, 'SigningKeyRotation', {
      secretId: secret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { automaticallyAfterDays: days },
      // The generated first key is fresh; rotating on every deploy that touches the schedule would be noise.
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks it may invoke the function when the schedule is created.
    schedule.node.addDependency(fn.permissionsNode.findChild('InvokedBySecretsManager'));
    return schedule;
  }

  /**
   * The cache key: the whole query (the viewer-request function has refused any name outside the grammar and put
   * the rest in canonical order, so that is the spec and the signature) and the negotiated format; no cookie, no
   * other header. An allowlist of the names would say the same, but CloudFront takes 10 query strings per cache
   * policy by default and the grammar has more. Entries never outlive the longest URL: an expired URL is refused
   * at the edge before the cache is read anyway.
   */
  private createCachePolicy(urlTtlSeconds: number): CachePolicy {
    const longestUrl = Duration.seconds(urlTtlSeconds + EXPIRY_WINDOW_SECONDS);
    return new CachePolicy(this, 'CachePolicy', {
      comment: 'image-intel renditions: the ordered, signed spec and the negotiated format',
      queryStringBehavior: CacheQueryStringBehavior.all(),
      headerBehavior: CacheHeaderBehavior.allowList(FORMAT_HEADER),
      cookieBehavior: CacheCookieBehavior.none(),
      minTtl: Duration.seconds(0),
      defaultTtl: longestUrl,
      maxTtl: longestUrl,
      // Images are compressed already; Accept-Encoding in the key would only split it.
      enableAcceptEncodingGzip: false,
      enableAcceptEncodingBrotli: false,
    });
  }

  private createResponseHeadersPolicy(): ResponseHeadersPolicy {
    return new ResponseHeadersPolicy(this, 'ResponseHeaders', {
      comment: 'image-intel renditions: security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // A rendition URL carries its signature: no page it is opened from should pass it on.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        // An image opened on its own runs nothing and embeds nothing.
        contentSecurityPolicy: { contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'", override: true },
      },
    });
  }

  /** CloudFront's standard logs: the legacy delivery writes with object ACLs, so this bucket keeps them enabled. */
  private createLogsBucket(props: RenditionsProps): Bucket {
    const destroy = props.destroyOnRemove ?? false;
    const bucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: props.accessLogExpiration ?? Duration.days(90) }],
    });
    acknowledge(
      bucket,
      'AwsSolutions-S1',
      "This bucket is the renditions distribution's access log target; logging it too would only log log deliveries.",
    );
    return bucket;
  }

  private createDistribution(props: RenditionsProps): Distribution {
    const timeout = props.timeout ?? Duration.seconds(30);
    const distribution = new Distribution(this, 'Distribution', {
      comment: 'image-intel renditions',
      defaultBehavior: {
        origin: FunctionUrlOrigin.withOriginAccessControl(this.functionUrl, {
          readTimeout: Duration.seconds(Math.min(60, timeout.toSeconds())),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        // Origin access control signs GET and HEAD alone without a body hash; nothing else is served.
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: this.cachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        functionAssociations: [{ function: this.requestFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: false,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PRICE_CLASSES[props.settings.renditionPriceClass],
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'renditions/',
      errorResponses: ERROR_CACHING,
    });
    acknowledge(
      distribution,
      'AwsSolutions-CFR1',
      'Renditions are served wherever their signed URLs are used; no country is excluded by default.',
    );
    acknowledge(
      distribution,
      'AwsSolutions-CFR2',
      'No WAF web ACL by default (a fixed monthly cost per ACL and rule): every request needs a signed, unexpired ' +
        'URL, checked at the edge for expiry and at the origin for its signature.',
    );
    acknowledge(
      distribution,
      'AwsSolutions-CFR4',
      "The distribution uses CloudFront's default *.cloudfront.net certificate (no custom domain), whose minimum " +
        'viewer protocol CloudFront fixes; viewers are redirected to HTTPS.',
    );
    return distribution;
  }
}

/**
 * `s3:ListBucket` limited to the keys under `prefixes` (no bucket grant takes a prefix condition). Listing is also
 * what lets S3 answer a GetObject of a missing key 404 NoSuchKey rather than 403 AccessDenied, which the render
 * function relies on to tell "not stored yet" from a failure; S3 judges that with the missing key as `s3:prefix`,
 * so the condition covers it.
 */
function grantListing(grantee: IGrantable, storage: ImageStorage, prefixes: readonly string[]): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: ['s3:ListBucket'],
    resourceArns: [storage.bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
  });
}

/**
 * How long CloudFront keeps an error from the render function. A 4xx of a signed URL says the same for every
 * retry until the URL expires (a spec past a limit, an image not found), so it is kept a few seconds to spare the
 * function retry storms; a 5xx is not kept, so the next request tries again.
 */
const ERROR_CACHING: ErrorResponse[] = [
  ...[400, 403, 404].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(10) })),
  ...[500, 502, 503, 504].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
];

/**
 * After esbuild: copy each configured image watermark into the asset at `watermarkAssetPath` (where the handler
 * reads it), and with no sharp layer, install sharp into the asset too. Bundling the files, rather than uploading
 * them to the bucket, keeps them versioned with the function that reads them, needs no deployment custom resource
 * and no extra permission, and costs no S3 read per render; they are small.
 */
export function watermarkBundlingHooks(
  scope: Construct,
  watermarks: RenditionsSettings['watermarks'],
  withSharp: boolean,
): ICommandHooks | undefined {
  const images = Object.entries(watermarks).flatMap(([name, mark]) =>
    mark.image === undefined
      ? []
      : [{ name, source: path.join(REPO_ROOT, mark.image), target: watermarkAssetPath(name, mark.image) }],
  );
  // Here rather than at bundling, where a missing file would surface as a failed copy command.
  for (const { name, source } of images) {
    if (!existsSync(source)) throw new Error(`${scope.node.path}: watermarks.${name}: no file at ${source}`);
  }
  if (images.length === 0 && !withSharp) return undefined;
  const sharp = withSharp ? sharpBundlingHooks() : undefined;
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => [
      ...(sharp?.afterBundling(inputDir, outputDir) ?? []),
      ...images.map(({ source, target }) => copyCommand(source, path.join(outputDir, target))),
    ],
  };
}

/** A copy that runs in NodejsFunction's bundling shell on any platform: node, with the paths as arguments. */
function copyCommand(source: string, target: string): string {
  const script =
    "const fs=require('fs'),path=require('path');" +
    'fs.mkdirSync(path.dirname(process.argv[2]),{recursive:true});fs.copyFileSync(process.argv[1],process.argv[2])';
  return ['node', '-e', `"${script}"`, `"${source}"`, `"${target}"`].join(' ');
}
