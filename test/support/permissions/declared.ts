import type { AwsCall } from '../../../lambdas/local/aws-calls';

/**
 * The operations the rotation function sends in a rotation. The runner cannot drive one: Secrets Manager invokes
 * the function for each step, and moto runs a rotation Lambda only in docker. So the check takes these calls as
 * declared here, and test/unit/renditions/functions/rotate-rendition-key/rotate.test.ts holds the code to exactly them.
 */
export const ROTATION_OPERATIONS = ['DescribeSecret', 'GetSecretValue', 'PutSecretValue', 'UpdateSecretVersionStage'];

/** A rotation's calls on the signing secret, as the rotation function makes them. */
export function rotationCalls(signingSecretArn: string): AwsCall[] {
  return ROTATION_OPERATIONS.map((operation) => ({
    fn: 'rotate-rendition-key',
    service: 'SecretsManager',
    operation,
    input: { SecretId: signingSecretArn },
  }));
}
