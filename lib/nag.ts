import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
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
 * it: `AwsSolutions-IAM5[Resource::<LogicalId.Arn>/uploads/*]`. Acknowledging the exact finding keeps any other
 * wildcard in the same policy reported.
 */
export function wildcardResourceFinding(resource: CfnResource, suffix: string): string {
  const logicalId = Stack.of(resource).resolve(resource.logicalId) as string;
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>${suffix}]`;
}

/** The finding for `Resource: "*"`. */
export const ANY_RESOURCE_FINDING = 'AwsSolutions-IAM5[Resource::*]';
