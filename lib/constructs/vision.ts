import { Duration, IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Grant, type IRole, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, DockerImageCode, DockerImageFunction, type IFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { pipelineFunction } from '../../lambdas/manifest/manifest';
import type { DeploymentSettings, InferenceMode } from '../../lambdas/settings';
import { environmentFor } from '../../lambdas/vision/functions/vision/contract';
import { ANY_RESOURCE_FINDING, acknowledge } from '../nag';
import { NATIVE_MEMORY_ENVIRONMENT } from './native-memory';
import { acknowledgeTracing, type FunctionBasicsProps, functionBasics, REPO_ROOT } from './node-function';
import type { RoomStacks } from './room-stacks';

/** The Rekognition calls the processor makes, and nothing else. */
export const REKOGNITION_ACTIONS = [
  'rekognition:DetectLabels',
  'rekognition:DetectText',
  'rekognition:DetectFaces',
  'rekognition:DetectModerationLabels',
] as const;

/**
 * What `lambdas/vision/functions/vision/Dockerfile` copies. The build context is the repository root, but only these
 * paths are in it (a docker-ignore allow-list): node_modules, dist, cdk.out, bench, .git and test stay out, and
 * editing them does not change the image's hash. The Dockerfile's COPY lines are checked against this list.
 */
export const VISION_BUILD_CONTEXT = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'lambdas',
] as const;

export interface VisionBackendProps extends Omit<FunctionBasicsProps, 'serviceName'> {
  /** Where the vision function goes: the vision room's stack. @default - this construct */
  readonly rooms?: RoomStacks;
  /** `inference`: where labels, text, faces and moderation come from; and what the vision function reads. */
  readonly settings: Pick<DeploymentSettings, 'inference' | 'moderationThreshold' | 'maxUploadBytes' | 'faceGrouping'>;
  /** Of the vision function (offline). @default 3008 */
  readonly memorySize?: number;
  /**
   * Of the vision function (offline). Half the processor's 60 s, so a stuck invocation fails as a transient
   * error the processor can still record, instead of timing the processor out. @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/**
 * The vision backend for the processor, per `inference`: `rekognition` - permissions for the four Detect APIs;
 * `offline` - a container function (the offline models) the processor invokes; `none` - nothing.
 * The image is built at deploy time: `cdk synth` needs no docker.
 */
export class VisionBackend extends Construct {
  public readonly mode: InferenceMode;
  /** The offline vision function; only with `inference: 'offline'`. */
  public readonly function?: DockerImageFunction;
  /** With Rekognition and face grouping, IndexFaces (on the collection, People) finds the faces, not DetectFaces. */
  private readonly detectActions: readonly string[];

  constructor(scope: Construct, id: string, props: VisionBackendProps) {
    super(scope, id);
    this.mode = props.settings.inference;
    this.detectActions = REKOGNITION_ACTIONS.filter(
      (action) => !(props.settings.faceGrouping && action === 'rekognition:DetectFaces'),
    );
    if (this.mode !== 'offline') return;
    // Apart from the rooms' stacks: the processor invokes it, which the render function's stack reads (its layer).
    const room = props.rooms?.apart('vision', 'models') ?? this;
    const basics = functionBasics(room, 'Function', { ...props, serviceName: 'image-intel-vision' });
    this.function = new DockerImageFunction(room, 'Function', {
      description: pipelineFunction('vision').does,
      code: DockerImageCode.fromImageAsset(REPO_ROOT, {
        file: 'lambdas/vision/functions/vision/Dockerfile',
        platform: Platform.LINUX_ARM64,
        ignoreMode: IgnoreMode.DOCKER,
        exclude: ['*', ...VISION_BUILD_CONTEXT.map((entry) => `!${entry}`)],
      }),
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 3008,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role: basics.role,
      logGroup: basics.logGroup,
      environment: {
        ...basics.environment,
        ...environmentFor({ settings: props.settings }),
        ...NATIVE_MEMORY_ENVIRONMENT,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    acknowledgeTracing(basics.role);
    // The thumbnails it reads are granted by the stack, as lambdas/manifest/manifest.ts declares it.
  }

  /** Let a function (the processor) use this backend: invoke the models' function, or Rekognition's Detect APIs. */
  grantUse(processor: IFunction): void {
    if (this.function) {
      // The processor invokes the unqualified function: its ARN alone. `grantInvoke` would add `:*` (every version and
      // alias), `grantInvokeLatestVersion` `:$LATEST`, which no call names (the permissions check found it unused).
      Grant.addToPrincipal({
        grantee: processor,
        actions: ['lambda:InvokeFunction'],
        resourceArns: [this.function.functionArn],
      });
    } else if (this.mode === 'rekognition') {
      this.grantRekognition(requireRole(processor));
    }
  }

  private grantRekognition(role: IRole): void {
    // No grant exists for Rekognition: its Detect* APIs act on image bytes, not on a resource. A policy of its own
    // keeps this one `*` resource apart from the role's default policy.
    // Beside the role, in its room's stack.
    const policy = new Policy(role.node.scope ?? this, 'RekognitionDetect', {
      statements: [new PolicyStatement({ actions: [...this.detectActions], resources: ['*'] })],
    });
    policy.attachToRole(role);
    acknowledge(
      policy,
      ANY_RESOURCE_FINDING,
      'Rekognition DetectLabels, DetectText, DetectFaces and DetectModerationLabels have no resource-level ' +
        'permissions (they act on the image bytes sent), so "*" is the only resource they accept.',
    );
  }
}

function requireRole(fn: IFunction): IRole {
  if (!fn.role) throw new Error(`${fn.node.path} has no role to grant Rekognition to`);
  return fn.role;
}
