import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  type CfnBucket,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
/**
 * The object actions the functions (and the backfill's ResultWriter, which writes its results in multipart
 * uploads) use, each on one key prefix; nothing can list, tag or change ACLs.
 */
import type { ObjectAction, UseOf } from '../../lambdas/kit/uses';
import { acknowledge, wildcardResourceFinding } from '../nag';
import type { UseTarget } from './grant-uses';

export type { ObjectAction };

export interface ImageStorageProps {
  /** Browser origins that may POST uploads straight to the bucket. @default [] - no CORS rule */
  readonly corsOrigins?: readonly string[];
  /**
   * Delete the images (and their access logs) with the stack. @default false - both buckets are retained, so
   * deleting the stack never silently destroys user images
   */
  readonly destroyOnRemove?: boolean;
  /** How long the server access logs are kept. @default Duration.days(90) */
  readonly accessLogExpiration?: Duration;
}

/**
 * What every bucket of the stack is: nothing public, owner-enforced, TLS 1.2+ only, S3-managed keys (server access
 * log delivery only writes to SSE-S3 buckets), kept when the stack goes unless `destroy`.
 */
export function privateBucketProps(destroy: boolean): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    autoDeleteObjects: destroy,
  };
}

/**
 * The private bucket for originals (`uploads/`) and thumbnails (`thumbnails/`), with a server access log bucket
 * beside it. Nothing is public, every request must use TLS 1.2+, objects are encrypted with S3-managed keys.
 */
export class ImageStorage extends Construct implements UseTarget<UseOf<'storage'>> {
  public readonly bucket: Bucket;
  public readonly accessLogsBucket: Bucket;

  constructor(scope: Construct, id: string, props: ImageStorageProps = {}) {
    super(scope, id);
    const secure = privateBucketProps(props.destroyOnRemove ?? false);

    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      ...secure,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: props.accessLogExpiration ?? Duration.days(90) }],
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This bucket is the server access log target of the image bucket; logging it too would only log log deliveries.',
    );

    const origins = [...(props.corsOrigins ?? [])];
    this.bucket = new Bucket(this, 'Bucket', {
      ...secure,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'images/',
      // Browsers upload with the presigned POST from `POST /uploads`; reads go through presigned GET URLs.
      cors:
        origins.length > 0
          ? [{ allowedMethods: [HttpMethods.POST], allowedOrigins: origins, allowedHeaders: ['*'], maxAge: 3000 }]
          : undefined,
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }

  /**
   * Exact object actions on the keys under one prefix (`uploads/`, `thumbnails/`). `grantRead`/`grantPut` would
   * add `s3:GetObject*`, `s3:List*`, `s3:Abort*` and more; the handlers need none of those.
   */
  grantObjects(grantee: IGrantable, prefix: string, ...actions: ObjectAction[]): Grant {
    const grant = this.bucket.grants.actionsOnObjectKeys(grantee, `${prefix}*`, ...actions);
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledge(
        principal,
        wildcardResourceFinding(this.bucket.node.defaultChild as CfnBucket, `/${prefix}*`, principal),
        `${actions.join(', ')} on objects under ${prefix} only: keys are per image (${prefix}<imageId>...), so the ` +
          'prefix is the narrowest resource that covers them.',
      );
    }
    return grant;
  }

  /**
   * `s3:ListBucket` for the keys under these prefixes only (the `s3:prefix` condition). Two uses: delete-image lists
   * an image's stored renditions, which no record names; and a function that reads a key which may be missing
   * needs it, or S3 answers that GetObject 403 AccessDenied instead of 404 NoSuchKey (S3 judges it with the key as
   * `s3:prefix`, so the condition covers it). Written by hand: `grantRead` would add `s3:GetObject*` and `s3:List*`
   * on the whole bucket.
   */
  grantList(grantee: IGrantable, ...prefixes: string[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes.map((prefix) => `${prefix}*`) } },
    });
  }

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'storage'>): void {
    if (use.kind === 'objects') this.grantObjects(grantee, use.prefix, ...use.actions);
    else this.grantList(grantee, ...use.prefixes);
  }
}
