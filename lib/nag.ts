import { CfnElement, type CfnResource, DefaultStackSynthesizer, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { IConstruct } from 'constructs';

/**
 * Acknowledge one cdk-nag finding on one construct, with the reason it is acceptable. cdk-nag 3 reads these
 * through CDK's own `Validations` (its `NagSuppressions` API is gone); they apply to the construct and its
 * children, so call this on the narrowest construct that holds the finding, never on the stack.
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/**
 * The id of the AwsSolutions-IAM5 finding for a wildcard resource built from a resource's ARN, as cdk-nag names
 * it: `AwsSolutions-IAM5[Resource::<LogicalId.Arn>/uploads/*]`, or for a policy in a room's nested stack (`consumer`),
 * which reads the ARN from a parameter, `<referenceto<its unique id>Arn>/uploads/*`. Acknowledging the exact finding
 * keeps any other wildcard in the same policy reported.
 */
export function wildcardResourceFinding(resource: CfnResource, suffix: string, consumer?: IConstruct): string {
  return `AwsSolutions-IAM5[Resource::${referenceAsNamed(resource, 'Arn', consumer)}${suffix}]`;
}

/**
 * A reference to an attribute (or the Ref, `attribute` undefined) of a resource as cdk-nag writes it in `consumer`'s
 * stack: `<LogicalId.Arn>` in its own, the nested stack parameter CDK passes it through in a room's
 * (`<referenceto<unique id>Arn>`, the same name at every level of nesting).
 */
function referenceAsNamed(target: CfnElement, attribute: string | undefined, consumer?: IConstruct): string {
  if (consumer && Stack.of(consumer) !== Stack.of(target)) {
    return `<referenceto${Names.nodeUniqueId(target.node)}${attribute ?? 'Ref'}>`;
  }
  const logicalId = Stack.of(target).resolve(target.logicalId) as string;
  return attribute === undefined ? `<${logicalId}>` : `<${logicalId}.${attribute}>`;
}

/**
 * The AwsSolutions-IAM5 finding for a wildcard resource however it is built (from a resource's attributes, the
 * stack's partition, Region and account...): the resource resolved and flattened as cdk-nag writes it, `Ref` and
 * `Fn::GetAtt` as `<Id>` and `<Id.Attribute>`, `Fn::Join` joined; as a policy in another stack (`consumer`, a room's)
 * sees a resource of `scope`'s stack, through its parameter.
 */
export function wildcardFinding(scope: IConstruct, resource: string, consumer?: IConstruct): string {
  const stack = Stack.of(scope);
  const element = (logicalId: string): CfnElement | undefined =>
    stack.node
      .findAll()
      .find((one): one is CfnElement => CfnElement.isCfnElement(one) && stack.resolve(one.logicalId) === logicalId);
  const named = (logicalId: string, attribute?: string): string => {
    const target = logicalId.startsWith('AWS::') ? undefined : element(logicalId);
    if (!target) return attribute === undefined ? `<${logicalId}>` : `<${logicalId}.${attribute}>`;
    return referenceAsNamed(target, attribute, consumer);
  };
  const flatten = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const value = node as Record<string, unknown>;
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(separator);
    }
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'] as [string, string];
      return named(logicalId, attribute);
    }
    if ('Ref' in value) return named(value.Ref as string);
    return JSON.stringify(node);
  };
  return `AwsSolutions-IAM5[Resource::${flatten(stack.resolve(resource))}]`;
}

/** The finding for `Resource: "*"`. */
export const ANY_RESOURCE_FINDING = 'AwsSolutions-IAM5[Resource::*]';

/**
 * CDK's bucket deployment function (one per stack, shared by every deployment): what cdk-nag finds on it, each
 * finding by its exact id, so anything else on the role stays reported.
 */
export function acknowledgeBucketDeployment(deployment: BucketDeployment, target: Bucket): void {
  const role = deployment.handlerRole;
  // The bootstrap's asset bucket, which the function reads the sources from: named with the stack's account,
  // Region and partition where they are known (bin/app.ts gives the CLI's), as the synthesizer names it.
  const qualifier =
    (role.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const stack = Stack.of(role);
  const known = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  const [partition, account, region] = [
    known(stack.partition, 'Partition'),
    known(stack.account, 'AccountId'),
    known(stack.region, 'Region'),
  ];
  const assetBucket = `arn:${partition}:s3:::cdk-${qualifier}-assets-${account}-${region}/*`;
  const grants =
    "CDK's bucket deployment copies files from the bootstrap asset bucket into its target bucket and prunes it: " +
    'the object actions its grantRead and grantReadWrite give, on those two buckets only.';
  for (const finding of [
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    `Resource::${assetBucket}`,
  ]) {
    acknowledge(role, `AwsSolutions-IAM5[${finding}]`, grants);
  }
  acknowledge(
    role,
    wildcardResourceFinding(target.node.defaultChild as CfnBucket, '/*', role),
    'The deployment writes and prunes the keys under its prefix of a bucket that holds nothing else.',
  );
  acknowledge(
    role,
    ANY_RESOURCE_FINDING,
    'cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on "*" for the invalidation after a deploy.',
  );
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's bucket deployment function logs with AWSLambdaBasicExecutionRole, the managed policy CDK gives it.",
  );
  if (role.node.scope) {
    acknowledge(
      role.node.scope,
      'AwsSolutions-L1',
      "CDK's bucket deployment function: its runtime is CDK's choice, updated with aws-cdk-lib.",
    );
  }
}
