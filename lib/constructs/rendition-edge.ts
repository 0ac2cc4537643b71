import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { renditionRequestCode } from '../../lambdas/edge/rendition-request-code';
import { RENDITION_CACHE_SECONDS } from '../../lambdas/renditions/cache-headers';
import { publicRenditionFiles } from '../../lambdas/renditions/public';
import { RENDITION_QUERY_NAMES } from '../../lambdas/renditions/query';
import type { DeploymentSettings } from '../../lambdas/settings';
import { acknowledge } from '../nag';

/*
 * The renditions' edge: a CloudFront distribution in front of the render function's URL, with the viewer-request
 * function that refuses unsigned or expired URLs, the cache policy, security headers and access logs. Made in the
 * Renditions construct's scope, so each resource keeps the id it has always had.
 */

/** The header the viewer-request function sets from Accept; the only header in the cache key. */
export const FORMAT_HEADER = 'x-rendition-format';

const PRICE_CLASSES: Record<DeploymentSettings['renditionPriceClass'], PriceClass> = {
  PriceClass_100: PriceClass.PRICE_CLASS_100,
  PriceClass_200: PriceClass.PRICE_CLASS_200,
  PriceClass_All: PriceClass.PRICE_CLASS_ALL,
};

export interface RenditionEdgeProps {
  readonly settings: Pick<DeploymentSettings, 'renditionFormats' | 'renditionPriceClass' | 'renditionPresets'>;
  /** The render function's URL, reached through origin access control. */
  readonly functionUrl: FunctionUrl;
  /** The render function's timeout: the origin's read timeout follows it (60 s at most). */
  readonly timeout: Duration;
  /** Empty and delete the access logs bucket with the stack. */
  readonly destroyOnRemove: boolean;
  readonly accessLogExpiration?: Duration;
  /** The WAF web ACL (CLOUDFRONT scope, in us-east-1) in front of the distribution. @default - none */
  readonly webAclArn?: string;
}

export interface RenditionEdge {
  readonly requestFunction: CloudFrontFunction;
  readonly cachePolicy: CachePolicy;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
}

export function createRenditionEdge(scope: Construct, props: RenditionEdgeProps): RenditionEdge {
  const requestFunction = new CloudFrontFunction(scope, 'RequestFunction', {
    comment: 'image-intel renditions: refuse unsigned or expired URLs, order the query, negotiate the format',
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(
      renditionRequestCode({
        queryNames: RENDITION_QUERY_NAMES,
        formats: props.settings.renditionFormats,
        publicFiles: publicRenditionFiles(props.settings.renditionPresets),
      }),
    ),
  });
  const cachePolicy = createCachePolicy(scope);
  const responseHeadersPolicy = createResponseHeadersPolicy(scope);
  const logsBucket = createLogsBucket(scope, props);
  const distribution = createDistribution(scope, props, {
    requestFunction,
    cachePolicy,
    responseHeadersPolicy,
    logsBucket,
  });
  return { requestFunction, cachePolicy, responseHeadersPolicy, logsBucket, distribution };
}

/**
 * The cache key: the whole query (the viewer-request function has refused any name outside the grammar and put
 * the rest in canonical order, so that is the spec and the signature) and the negotiated format; no cookie, no
 * other header. A public preset's URL has neither (the function refuses any query on it and drops the header), so
 * its key is its path alone. An allowlist of the names would say the same, but CloudFront takes 10 query strings per cache
 * policy by default and the grammar has more. An entry is kept at most RENDITION_CACHE_SECONDS, whatever the origin
 * says, then revalidated with its ETag (a 304 from the render function, or a 404 once the image is deleted): that
 * bounds how long a deleted image is served, with no invalidation (renditions/cache-headers.ts says why).
 */
function createCachePolicy(scope: Construct): CachePolicy {
  const kept = Duration.seconds(RENDITION_CACHE_SECONDS);
  return new CachePolicy(scope, 'CachePolicy', {
    comment: 'image-intel renditions: the ordered, signed spec and the negotiated format',
    queryStringBehavior: CacheQueryStringBehavior.all(),
    headerBehavior: CacheHeaderBehavior.allowList(FORMAT_HEADER),
    cookieBehavior: CacheCookieBehavior.none(),
    minTtl: Duration.seconds(0),
    defaultTtl: kept,
    maxTtl: kept,
    // Images are compressed already; Accept-Encoding in the key would only split it.
    enableAcceptEncodingGzip: false,
    enableAcceptEncodingBrotli: false,
  });
}

function createResponseHeadersPolicy(scope: Construct): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, 'ResponseHeaders', {
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
function createLogsBucket(scope: Construct, props: RenditionEdgeProps): Bucket {
  const destroy = props.destroyOnRemove;
  const bucket = new Bucket(scope, 'AccessLogs', {
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

function createDistribution(
  scope: Construct,
  props: RenditionEdgeProps,
  parts: Omit<RenditionEdge, 'distribution'>,
): Distribution {
  const distribution = new Distribution(scope, 'Distribution', {
    comment: 'image-intel renditions',
    defaultBehavior: {
      origin: FunctionUrlOrigin.withOriginAccessControl(props.functionUrl, {
        readTimeout: Duration.seconds(Math.min(60, props.timeout.toSeconds())),
      }),
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      // Origin access control signs GET and HEAD alone without a body hash; nothing else is served.
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: parts.cachePolicy,
      responseHeadersPolicy: parts.responseHeadersPolicy,
      functionAssociations: [{ function: parts.requestFunction, eventType: FunctionEventType.VIEWER_REQUEST }],
      compress: false,
    },
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PRICE_CLASSES[props.settings.renditionPriceClass],
    enableLogging: true,
    logBucket: parts.logsBucket,
    logFilePrefix: 'renditions/',
    errorResponses: ERROR_CACHING,
    webAclId: props.webAclArn,
  });
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'Renditions are served wherever their signed URLs are used; no country is excluded by default.',
  );
  if (!props.webAclArn) {
    acknowledge(
      distribution,
      'AwsSolutions-CFR2',
      'No WAF web ACL was given (the waf setting is off, or the stack was made without its us-east-1 stack): every ' +
        'request needs a signed, unexpired URL, checked at the edge for expiry and at the origin for its signature, ' +
        'or is a public preset of an existing image (opt-in, one rendition per public preset and image).',
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
 * How long CloudFront keeps an error from the render function. A 4xx of a signed URL says the same for every
 * retry until the URL expires (a spec past a limit, an image not found), so it is kept a few seconds to spare the
 * function retry storms. A 5xx is kept 30 s: a render that runs out of time answers a 503 just before the
 * function's timeout, having spent the whole invocation, so a URL that fails must not be tried again at that cost
 * by every request (a flood of one URL costs one failing invocation per edge cache every 30 s; the function also
 * stores why it gave up, and answers that without rendering). An edge cache that holds a good copy of the URL keeps
 * serving it while the origin answers 5xx, as CloudFront does whatever this TTL.
 */
const ERROR_CACHING: ErrorResponse[] = [
  ...[400, 403, 404].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(10) })),
  ...[500, 502, 503, 504].map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(30) })),
];
