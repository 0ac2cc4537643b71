import { CfnOutput, CfnParameter, CfnResource, type CfnStack, type IAspect, NestedStack, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/**
 * Lambda's limit on a function's environment: 4 KB, measured as the variables' JSON (`{"NAME":"value",...}`, as
 * Lambda's own error quotes it). A template over it synthesizes and then fails to deploy that one function, after
 * every resource before it was created: this aspect stops the synth instead.
 */
export const ENVIRONMENT_LIMIT_BYTES = 4096;

/**
 * Stops the synth when any function's environment, with each CloudFormation reference counted at the longest value
 * it can take once deployed, would exceed Lambda's 4 KB. The message names the function, its size and its largest
 * variables. A reference it cannot size is an error too, naming what to add to `REFERENCE_LENGTHS`.
 */
export class EnvironmentBudget implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof CfnFunction)) return;
    node.node.addValidation({ validate: () => environmentProblems(node) });
  }
}

/** A function's environment as Lambda will measure it once deployed: the total and each variable's share. */
export interface DeployedEnvironment {
  readonly bytes: number;
  readonly variables: readonly { readonly name: string; readonly bytes: number }[];
}

/**
 * Measure a function's environment with every reference at its longest deployed value (throws if one cannot be).
 * `sizers`: those of a measurement already under way, to share what they gathered (a new measurement by default).
 */
export function deployedEnvironment(fn: CfnFunction, sizers = new Map<Stack, DeployedLength>()): DeployedEnvironment {
  const stack = Stack.of(fn);
  const resolved = stack.resolve(fn.environment) as { variables?: Record<string, unknown> } | undefined;
  const sizer = sizers.get(stack) ?? new DeployedLength(stack, sizers);
  const variables = Object.entries(resolved?.variables ?? {})
    .map(([name, value]) => ({ name, bytes: sizer.jsonString(value) }))
    .sort((a, b) => b.bytes - a.bytes);
  // {"A":"a","B":"b"}: the braces, a colon per variable, commas between them.
  const pairs = variables.reduce((sum, { name, bytes }) => sum + jsonLength(name) + 1 + bytes, 0);
  return { bytes: 2 + pairs + Math.max(0, variables.length - 1), variables };
}

/**
 * The sizers of the validation pass under way. A synth runs every construct's validation in one synchronous pass over
 * a tree that no longer changes, so the functions share one measurement: each function measured on its own gathered
 * the logical ids of every resource of the app again, about two thirds of a synth's time. The pass ends with the
 * synchronous code that runs it, and so does this (a microtask runs only once that code has returned).
 */
let passSizers: Map<Stack, DeployedLength> | undefined;
function sizersOfThisPass(): Map<Stack, DeployedLength> {
  if (!passSizers) {
    passSizers = new Map();
    queueMicrotask(() => {
      passSizers = undefined;
    });
  }
  return passSizers;
}

function environmentProblems(fn: CfnFunction): string[] {
  let measured: DeployedEnvironment;
  try {
    measured = deployedEnvironment(fn, sizersOfThisPass());
  } catch (error) {
    return [`the environment of ${fn.node.path}: ${(error as Error).message}`];
  }
  if (measured.bytes <= ENVIRONMENT_LIMIT_BYTES) return [];
  const largest = measured.variables
    .slice(0, 3)
    .map(({ name, bytes }) => `${name} ${bytes} bytes`)
    .join(', ');
  return [
    `the environment of ${fn.node.path} takes up to ${measured.bytes} bytes once deployed, over Lambda's ` +
      `${ENVIRONMENT_LIMIT_BYTES}: largest ${largest}. Shorten those settings, or compile the variable into the ` +
      'code (COMPILED_VARIABLES in lambdas/settings/env.ts)',
  ];
}

/** A string's length inside JSON, quotes included, in UTF-8 bytes. */
const jsonLength = (text: string) => Buffer.byteLength(JSON.stringify(text));

/** What a reference's value can be at most, given its resource's type. */
interface Target {
  readonly stackName: string;
  readonly logicalId: string;
  readonly properties: Record<string, unknown>;
}

/**
 * A name CloudFormation generates (`<stack>-<logical id>-<13 random>`, cut to the service's limit), or the one
 * the template gives.
 */
const nameOf =
  (property: string, serviceLimit: number) =>
  ({ stackName, logicalId, properties }: Target): number => {
    const given = properties[property];
    if (typeof given === 'string') return Buffer.byteLength(given);
    return Math.min(serviceLimit, stackName.length + logicalId.length + 15);
  };
/** `arn:<partition>:<service>:<region>:<account>:`, each part at its longest (`aws-us-gov`, `ap-southeast-7`). */
const arnPrefix = (service: string) => 'arn::::'.length + 10 + service.length + 14 + 12;

/**
 * The longest deployed value of `Ref` (by resource type) and of `Fn::GetAtt` (`type.attribute`) for the resources
 * the functions' environments point at. One missing here stops the synth with its name.
 */
const REFERENCE_LENGTHS: Record<string, (target: Target) => number> = {
  'AWS::DynamoDB::Table': nameOf('TableName', 255),
  'AWS::S3::Bucket': nameOf('BucketName', 63),
  'AWS::Events::EventBus': nameOf('Name', 256),
  'AWS::Lambda::Function': nameOf('FunctionName', 64),
  'AWS::SSM::Parameter': nameOf('Name', 2048),
  // Its Ref is the CollectionId the stack gives it.
  'AWS::Rekognition::Collection': nameOf('CollectionId', 255),
  // The secret's ARN: its name and the six characters Secrets Manager appends.
  'AWS::SecretsManager::Secret': (target) =>
    arnPrefix('secretsmanager') + 'secret:'.length + nameOf('Name', 512)(target) + 7,
  // The state machine's ARN (Ref): its name is at most 80 characters.
  'AWS::StepFunctions::StateMachine': (target) =>
    arnPrefix('states') + 'stateMachine:'.length + nameOf('StateMachineName', 80)(target),
  // The queue's URL (Ref): https://sqs.<region>.<URL suffix>/<account>/<name>, its name at most 80 characters.
  'AWS::SQS::Queue': (target) =>
    'https://sqs../'.length + 14 + 'amazonaws.com.cn'.length + 13 + nameOf('QueueName', 80)(target),
  'AWS::ApiGateway::ApiKey': () => 10,
  'AWS::CloudFront::Distribution.DomainName': () => 'd111111abcdef8.cloudfront.net'.length + 2,
  'AWS::Lambda::Url.FunctionUrl': () => 'https://.lambda-url..on.aws/'.length + 32 + 14,
};
const PSEUDO_LENGTHS: Record<string, number> = {
  'AWS::Region': 14,
  'AWS::AccountId': 12,
  'AWS::Partition': 10,
  'AWS::URLSuffix': 'amazonaws.com.cn'.length,
};

/** Sizes resolved template values as Lambda measures them once CloudFormation has filled in every reference. */
class DeployedLength {
  private readonly resources = new Map<string, CfnResource>();
  private readonly rendered = new Map<string, Record<string, unknown>>();
  /** The values the parent passes to this nested stack's parameters, once read. */
  private parameters?: Record<string, unknown>;

  /** `sizers`: those of this measurement, by stack, so a stack's resources are gathered once however often it is read. */
  constructor(
    private readonly stack: Stack,
    private readonly sizers: Map<Stack, DeployedLength>,
  ) {
    sizers.set(stack, this);
    for (const construct of stack.node.findAll()) {
      if (CfnResource.isCfnResource(construct)) {
        this.resources.set(stack.resolve(construct.logicalId) as string, construct);
      }
    }
  }

  /** The value as a JSON string, quotes included. */
  jsonString(value: unknown): number {
    return 2 + this.inner(value);
  }

  /** Inside the quotes: literal text escaped as JSON escapes it, a reference at its longest. */
  inner(value: unknown): number {
    if (typeof value === 'string') return jsonLength(value) - 2;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
    const [intrinsic, argument] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (intrinsic === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.reduce<number>((sum, part) => sum + this.inner(part), 0) + (parts.length - 1) * separator.length;
    }
    if (intrinsic === 'Ref') return this.reference(argument as string);
    if (intrinsic === 'Fn::GetAtt') {
      const [logicalId, attribute] = argument as [string, string];
      return this.reference(logicalId, attribute);
    }
    throw new Error(`cannot tell how long ${JSON.stringify(value)} is once deployed`);
  }

  private reference(logicalId: string, attribute?: string): number {
    const pseudo = PSEUDO_LENGTHS[logicalId];
    if (pseudo !== undefined) return pseudo;
    if (logicalId === 'AWS::StackName') return this.stackNameLength();
    const resource = this.resources.get(logicalId);
    if (resource === undefined) {
      const passed = this.passedIn(logicalId);
      if (passed !== undefined) return passed;
      throw new Error(`a reference to ${logicalId}, which is not in the stack`);
    }
    if (resource.cfnResourceType === 'AWS::CloudFormation::Stack' && attribute?.startsWith('Outputs.')) {
      return this.nestedOutput(resource, attribute.slice('Outputs.'.length));
    }
    const key = attribute === undefined ? resource.cfnResourceType : `${resource.cfnResourceType}.${attribute}`;
    const length = REFERENCE_LENGTHS[key];
    if (length === undefined) {
      throw new Error(`cannot tell how long ${key} of ${logicalId} is once deployed: add it to REFERENCE_LENGTHS`);
    }
    return length({ stackName: 'x'.repeat(this.stackNameLength()), logicalId, properties: this.properties(logicalId) });
  }

  /** A resource's properties as the template has them, rendered once a measurement: many functions read one table. */
  private properties(logicalId: string): Record<string, unknown> {
    let properties = this.rendered.get(logicalId);
    if (!properties) {
      const resource = this.resources.get(logicalId) as CfnResource;
      const template = this.stack.resolve(resource._toCloudFormation()) as {
        Resources: Record<string, { Properties?: Record<string, unknown> }>;
      };
      properties = template.Resources[logicalId]?.Properties ?? {};
      this.rendered.set(logicalId, properties);
    }
    return properties;
  }

  /**
   * A nested stack's parameter, at the longest its parent's value for it can be: a room's function reads the tables
   * and queues of the root stack through one.
   */
  private passedIn(logicalId: string): number | undefined {
    if (!NestedStack.isNestedStack(this.stack)) return undefined;
    const stack = this.stack;
    const parameter = stack.node.children.find(
      (child) => child instanceof CfnParameter && stack.resolve(child.logicalId) === logicalId,
    );
    if (!parameter) return undefined;
    const parent = this.stack.nestedStackParent;
    const resource = this.stack.nestedStackResource as CfnStack | undefined;
    if (!parent || !resource) return undefined;
    // Resolved once a measurement: each of the stack's functions reads a few of its many parameters.
    this.parameters ??= parent.resolve(resource.parameters) as Record<string, unknown> | undefined;
    const value = this.parameters?.[logicalId];
    return value === undefined ? undefined : this.sizerOf(parent).inner(value);
  }

  /** A nested stack's output (a sibling room's function's name), at the longest its value can be. */
  private nestedOutput(resource: CfnResource, name: string): number {
    const nested = this.stack.node
      .findAll()
      .find((one): one is NestedStack => NestedStack.isNestedStack(one) && one.nestedStackResource === resource);
    const output = nested?.node
      .findAll()
      .find((one): one is CfnOutput => one instanceof CfnOutput && nested.resolve(one.logicalId) === name);
    if (!nested || !output) throw new Error(`no output ${name} of the nested stack ${resource.logicalId}`);
    return this.sizerOf(nested).inner(nested.resolve(output.value));
  }

  private sizerOf(stack: Stack): DeployedLength {
    return this.sizers.get(stack) ?? new DeployedLength(stack, this.sizers);
  }

  /** A nested stack's name is its parent's, its resource's logical id and 13 random characters. */
  private stackNameLength(): number {
    const resource = NestedStack.isNestedStack(this.stack) ? this.stack.nestedStackResource : undefined;
    const parent = NestedStack.isNestedStack(this.stack) ? this.stack.nestedStackParent : undefined;
    if (!resource || !parent) return this.stack.stackName.length;
    return this.sizerOf(parent).stackNameLength() + (parent.resolve(resource.logicalId) as string).length + 14;
  }
}
