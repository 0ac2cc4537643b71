import * as path from 'node:path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import {
  type AddToPrincipalPolicyResult,
  type IRole,
  PolicyDocument,
  type PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, type ILayerVersion, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ICommandHooks, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { STEPS_ELSEWHERE } from '../../lambdas/kit/room';
import { COMPILED_ENVIRONMENT_GLOBAL, COMPILED_VARIABLES } from '../../lambdas/settings/env';
import { ANY_RESOURCE_FINDING, acknowledge } from '../nag';
import { type BundleOptions, FunctionBundles } from './function-bundles';

/** The repository root: handler entries and the inference image's build context are relative to it. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** The CloudWatch namespace every function's Powertools metrics go to. */
export const METRICS_NAMESPACE = 'ImageIntel';

export interface FunctionBasicsProps {
  /** `POWERTOOLS_SERVICE_NAME`: the `service` field of every log line and metric. */
  readonly serviceName: string;
  /** How long the function's logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * A log group the function shares with others, each line telling them apart by its `service` (the retention and
   * removal above are then the group's own). @default - a group of its own, `<id>Logs`
   */
  readonly logGroup?: LogGroup;
}

/** What every function, zip or container, starts from. */
export interface FunctionBasics {
  readonly logGroup: LogGroup;
  readonly role: IRole;
  /** The Powertools variables. */
  readonly environment: Record<string, string>;
}

/**
 * A log group as every one of the stack's is made (a function's, the API functions' shared one, the API's access
 * logs, the backfill's): a month's retention and kept when the stack is deleted, unless the deployment says otherwise.
 */
export function logGroupOf(
  scope: Construct,
  id: string,
  props: Pick<FunctionBasicsProps, 'logRetention' | 'logRemovalPolicy'>,
): LogGroup {
  return new LogGroup(scope, id, {
    retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
  });
}

/**
 * A log group with a retention, a role that may write to that group only, and the Powertools environment.
 * Created beside the function (`<id>Logs`, `<id>Role`) because the function needs them before it exists.
 */
export function functionBasics(scope: Construct, id: string, props: FunctionBasicsProps): FunctionBasics {
  const logGroup = props.logGroup ?? logGroupOf(scope, `${id}Logs`, props);
  // Not Lambda's default role: that one attaches AWSLambdaBasicExecutionRole, which may create and write any log
  // group in the account. This one may write to its function's group and nothing else until granted more.
  const role = new FunctionRole(scope, `${id}Role`);
  // logs:CreateLogStream and PutLogEvents: the Lambda runtime writes the log lines, so no call of our code makes them
  // (the permissions check in test/support/permissions/explained.ts knows why they go unused).
  logGroup.grantWrite(role);
  return {
    logGroup,
    role,
    environment: {
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    },
  };
}

/**
 * A function's role, whose grants go into the role itself (its inline policy `grants`) rather than into a default
 * policy beside it (an `AWS::IAM::Policy` of its own). The same statements, the same size limit (IAM counts a role's
 * inline policies together either way), one resource fewer per function: with a resource per route fewer, the
 * largest deployment keeps room under CloudFormation's 500 (test/infra/stack-size.test.ts).
 */
export class FunctionRole extends Role {
  /** Every statement granted to the function: its log group's, its traces', and its uses'. */
  public readonly grantStatements: PolicyDocument;

  constructor(scope: Construct, id: string) {
    const grants = new PolicyDocument();
    super(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), inlinePolicies: { grants } });
    this.grantStatements = grants;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.grantStatements.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * Acknowledge the one `Resource: *` every traced function has. Call after the function exists: tracing adds the
 * statement to the role's grants. The infra tests check that the grants' only `*` resource is X-Ray's.
 */
export function acknowledgeTracing(role: IRole): void {
  acknowledge(
    role,
    ANY_RESOURCE_FINDING,
    'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so ' +
      'their resource is "*". No other statement in this policy has a "*" resource (checked by the infra tests).',
  );
}

export interface NodeFunctionProps extends FunctionBasicsProps {
  /** The handler file relative to the repository root, e.g. `lambdas/images/functions/list-images/handler.ts`; it exports `handler`. */
  readonly entry: string;
  /** @default - no description */
  readonly description?: string;
  /**
   * Added to the Powertools variables and `NODE_OPTIONS`; those named in `COMPILED_VARIABLES` are compiled into the
   * code instead (lambdas/settings/env.ts). @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /**
   * Modules left out of the bundle because a layer or `commandHooks` provide them. @default [] - everything is
   * bundled, the AWS SDK included, so the function runs the SDK version the tests ran rather than whatever the
   * runtime ships.
   */
  readonly externalModules?: string[];
  /** @default - none */
  readonly layers?: ILayerVersion[];
  /** Shell commands around esbuild, e.g. installing an external native module into the asset. @default - none */
  readonly commandHooks?: ICommandHooks;
  /**
   * Whether it runs the rooms' processor steps (the processor): only then are their runtimes bundled (STEPS_ELSEWHERE,
   * lambdas/kit/room.ts). @default false
   */
  readonly runsSteps?: boolean;
}

/**
 * The one way this app defines a Node.js function: Node 22 on arm64, bundled locally by esbuild (no docker),
 * X-Ray tracing, source-mapped stack traces, its own log group with a retention, a role with no managed policy.
 *
 * Bundled as NodejsFunction bundles (node22, CommonJS, minified, source maps without sources, `module` before `main`),
 * by one esbuild build for every function of the app with the same externals and compiled variables
 * (lib/constructs/function-bundles.ts): `NodeFunction.expect` before making many says which to build together.
 */
export class NodeFunction extends NodejsFunction {
  /** Announce functions about to be made, so that one esbuild build bundles them all. */
  static expect(
    scope: Construct,
    functions: readonly Pick<NodeFunctionProps, 'entry' | 'environment' | 'externalModules' | 'runsSteps'>[],
  ): void {
    FunctionBundles.of(scope).expect(
      REPO_ROOT,
      functions.map((fn) => ({
        entry: fn.entry,
        options: bundleOptions(fn, splitEnvironment(fn.environment ?? {}, scope.node.path).compiled),
      })),
    );
  }

  /** The variables compiled into the code rather than set in the environment, as the function reads them. */
  public readonly compiledEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    const basics = functionBasics(scope, id, props);
    const { environment, compiled } = splitEnvironment(props.environment ?? {}, `${scope.node.path}/${id}`);
    super(scope, id, {
      code: FunctionBundles.of(scope).code(
        REPO_ROOT,
        path.join(REPO_ROOT, props.entry),
        bundleOptions(props, compiled),
        props.commandHooks,
      ),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      // The runtime sends the traces with the role's xray:PutTraceSegments and PutTelemetryRecords (explained.ts).
      tracing: Tracing.ACTIVE,
      role: basics.role,
      logGroup: basics.logGroup,
      layers: props.layers,
      description: props.description,
      environment: { ...basics.environment, NODE_OPTIONS: '--enable-source-maps', ...environment },
    });
    this.compiledEnvironment = compiled;
    acknowledgeTracing(basics.role);
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the handlers, the sharp layer and the inference image are built and tested for; ' +
        'moving to a newer runtime is a deliberate upgrade, not a synth-time default.',
    );
  }
}

/** What a function's build depends on besides its entry: the modules left out, and the variables compiled in. */
function bundleOptions(
  props: Pick<NodeFunctionProps, 'externalModules' | 'runsSteps'>,
  compiled: Readonly<Record<string, string>>,
): BundleOptions {
  const define = {
    // Only when there are some: no compiled environment for the functions that compile nothing in.
    ...(Object.keys(compiled).length > 0 && {
      [COMPILED_ENVIRONMENT_GLOBAL]: JSON.stringify(JSON.stringify(compiled)),
    }),
    ...(!props.runsSteps && { [STEPS_ELSEWHERE]: 'true' }),
  };
  return {
    externalModules: props.externalModules ?? [],
    ...(Object.keys(define).length > 0 && { define }),
  };
}

/**
 * The variables that go into the environment and those compiled into the code. A compiled one must be known at
 * synth: a CloudFormation reference has no value until the deploy, long after esbuild ran.
 */
function splitEnvironment(variables: Readonly<Record<string, string>>, path: string) {
  const environment: Record<string, string> = {};
  const compiled: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    const compiledVariable = (COMPILED_VARIABLES as readonly string[]).includes(name);
    if (compiledVariable && Token.isUnresolved(value)) {
      throw new Error(`${path}: ${name} is compiled into the code, so it cannot hold a value known only at deploy`);
    }
    (compiledVariable ? compiled : environment)[name] = value;
  }
  return { environment, compiled };
}
