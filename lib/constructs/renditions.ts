import { Duration, Stack } from 'aws-cdk-lib';
import type {
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  ResponseHeadersPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { Grant, type IGrantable, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType, type ILayerVersion, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { UseOf } from '../../lambdas/kit/uses';
import { pipelineFunction } from '../../lambdas/manifest/manifest';
import {
  type RenderImageWiring,
  environmentFor as renderEnvironment,
} from '../../lambdas/renditions/functions/render-image/contract';
import { environmentFor as rotationEnvironment } from '../../lambdas/renditions/functions/rotate-rendition-key/contract';
import type { DeploymentSettings } from '../../lambdas/settings';
import type { SharesWiring } from '../../lambdas/shares/table-design';
import { RENDITION_PREFIX } from '../../lambdas/store/keys';
import type { UseTarget } from './grant-uses';
import type { ImageStorage } from './image-storage';
import { withJxlDecoder } from './jxl-bundling';
import { NATIVE_MEMORY_ENVIRONMENT } from './native-memory';
import { type FunctionBasicsProps, NodeFunction } from './node-function';
import { createRenditionEdge } from './rendition-edge';
import type { ResultsTable } from './results-table';
import type { RoomStacks } from './room-stacks';
import { watermarkBundlingHooks } from './watermark-bundling';

/** What the render function reads (its contract's settings), what shapes the key rotation, the function and the CDN. */
export type RenditionsSettings = RenderImageWiring['settings'] &
  Pick<DeploymentSettings, 'renditionKeyRotationDays' | 'renditionMemoryMb' | 'renditionPriceClass'>;

export interface RenditionsProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /** Where the render and rotation functions go: the renditions room's stack. @default - this construct */
  readonly rooms?: RoomStacks;
  readonly storage: ImageStorage;
  readonly table: ResultsTable;
  /** The share links' table: a URL a link handed out is served only while the link is open. */
  readonly shares: SharesWiring;
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
  /** The WAF web ACL (CLOUDFRONT scope, in us-east-1) in front of the distribution. @default - none */
  readonly webAclArn?: string;
}

/**
 * Renditions on request: a CloudFront distribution in front of the render function's URL (IAM auth, reached only
 * through origin access control, streaming, so no 6 MB ceiling), a viewer-request function that refuses unsigned
 * and expired URLs at the edge and keys the cache on the spec and the negotiated format, and the secret of keys the
 * URLs are signed with, rotated by its own function. Images stay private: every URL is signed by the API
 * (`grantSign`) and verified by the render function, except a preset a deployment marks `public`, served unsigned at
 * `/<imageId>/<preset>.<ext>` while the image exists.
 */
export class Renditions extends Construct implements UseTarget<UseOf<'renditions'>> {
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
    // The render function is the distribution's origin, which the renditions' routes name: a stack of its own.
    const functions = props.rooms?.apart('renditions', 'origin') ?? this;

    this.signingSecret = new Secret(this, 'SigningKey', {
      description: 'image-intel: the keys rendition URLs are signed with (rotated; see renditions/signing-keys.ts)',
      // Secrets Manager makes the first value itself: no key is ever in the template, the code or a deploy log.
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
      },
    });
    this.rotationFunction = new NodeFunction(functions, 'RotationFunction', {
      ...functionBasics,
      entry: 'lambdas/renditions/functions/rotate-rendition-key/handler.ts',
      serviceName: 'image-intel-rotate-rendition-key',
      description: pipelineFunction('rotate-rendition-key').does,
      timeout: Duration.seconds(30),
      environment: rotationEnvironment({ settings }),
    });
    this.rotationSchedule = this.scheduleRotation(settings.renditionKeyRotationDays);

    this.renderFunction = new NodeFunction(functions, 'RenderFunction', {
      ...functionBasics,
      entry: 'lambdas/renditions/functions/render-image/handler.ts',
      serviceName: 'image-intel-render-image',
      description: pipelineFunction('render-image').does,
      memorySize: settings.renditionMemoryMb,
      timeout: props.timeout ?? Duration.seconds(30),
      layers: props.sharpLayer ? [props.sharpLayer] : undefined,
      externalModules: ['sharp'],
      commandHooks: withJxlDecoder(watermarkBundlingHooks(this, settings.watermarks, props.sharpLayer === undefined)),
      environment: {
        ...renderEnvironment({
          tableName: table.table.tableName,
          bucketName: storage.bucket.bucketName,
          signingSecretArn: this.signingSecret.secretArn,
          shares: props.shares,
          settings,
          watermarkFiles: 'bundle',
        }),
        ...NATIVE_MEMORY_ENVIRONMENT,
      },
    });
    // What it reads and stores is granted by the stack, as lambdas/manifest/manifest.ts declares it.

    // IAM auth: the URL answers only requests signed by an allowed principal, here CloudFront's origin access control.
    this.functionUrl = this.renderFunction.addFunctionUrl({
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });

    const edge = createRenditionEdge(this, {
      settings,
      functionUrl: this.functionUrl,
      timeout: props.timeout ?? Duration.seconds(30),
      destroyOnRemove: props.destroyOnRemove ?? false,
      accessLogExpiration: props.accessLogExpiration,
      webAclArn: props.webAclArn,
    });
    this.requestFunction = edge.requestFunction;
    this.cachePolicy = edge.cachePolicy;
    this.responseHeadersPolicy = edge.responseHeadersPolicy;
    this.logsBucket = edge.logsBucket;
    this.distribution = edge.distribution;
  }

  /** `https://<distribution domain>`: where rendition URLs (`/<imageId>?<spec>&exp&kid&sig`) point. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Let a function sign rendition URLs: read the key set (GetSecretValue) and nothing else. For the API functions
   * that issue URLs (get-image, create-rendition); the render function verifies with the same access. Written by
   * hand: `Secret.grantRead` adds DescribeSecret, which only the rotation calls (the permissions check found it
   * unused). The secret uses Secrets Manager's own key, so no kms:Decrypt is needed.
   */
  grantSign(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.signingSecret.secretArn],
    });
  }

  /**
   * Let a function rotate the signing keys: read the secret, put a version and move its stages. `Secret.grantWrite`
   * would add secretsmanager:UpdateSecret (description, KMS key); a rotation only puts a version and moves the
   * AWSCURRENT stage.
   */
  grantRotate(grantee: IGrantable): void {
    this.signingSecret.grantRead(grantee);
    Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
      resourceArns: [this.signingSecret.secretArn],
    });
  }

  /**
   * Let a function delete an image's stored renditions: list `renditions/` (the keys are hashes no record names) and
   * delete objects under it, nothing else. For delete-image.
   */
  grantDeleteRenditions(grantee: IGrantable): Grant[] {
    return [
      this.storage.grantList(grantee, RENDITION_PREFIX),
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

  /** Grant what a function's manifest entry says it uses of this (lambdas/kit/uses.ts). */
  grantUse(grantee: IGrantable, use: UseOf<'renditions'>): void {
    if (use.kind === 'sign-renditions') this.grantSign(grantee);
    else this.grantRotate(grantee);
  }
}
