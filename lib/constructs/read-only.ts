import { Stack } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { FunctionRole } from './node-function';

/**
 * How the names of IAM actions that change nothing begin (`dynamodb:GetItem`, `s3:ListBucket`, `states:DescribeExecution`,
 * `rekognition:SearchFaces`, `kms:Decrypt` of what a key encrypted). Any other action counts as a write, so an action
 * this list does not know is refused to a read route rather than let through; `dynamodb:ConditionCheckItem`, which
 * exists only inside a write transaction, is one.
 */
const READ_VERBS = ['Get', 'BatchGet', 'Query', 'Scan', 'List', 'Describe', 'Search', 'Detect', 'Decrypt'];

/**
 * What the Lambda runtime writes for every function, its log lines and its traces (functionBasics, `tracing`): no
 * data of the deployment, and no call of the function's code.
 */
export const RUNTIME_ACTIONS: readonly string[] = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
];

/** Actions whose verb is no read's but which change nothing: a model run on the request's own input, kept nowhere. */
const COMPUTE_ACTIONS: readonly string[] = ['bedrock:InvokeModel'];

/** Whether a granted action may change something (a wildcard that could name a write does). */
export function isWriteAction(action: string): boolean {
  if (RUNTIME_ACTIONS.includes(action) || COMPUTE_ACTIONS.includes(action)) return false;
  const name = action.split(':')[1] ?? '';
  return !READ_VERBS.some((verb) => name.startsWith(verb));
}

/**
 * Refuse to synthesize `fn` while its role's grants (FunctionRole), where every grant goes, allow a write: the function
 * of a route whose description says `access: 'read'` (lambdas/api/route.ts). `what` names it in the error.
 */
export function keepReadOnly(fn: { readonly role?: IRole }, what: string): void {
  const { role } = fn;
  if (!role) throw new Error(`${what}: a function without a role cannot be held to reading only`);
  role.node.addValidation({
    validate: () => {
      if (!(role instanceof FunctionRole)) return [`${what}: its role is no FunctionRole, whose grants can be read`];
      const document = Stack.of(role).resolve(role.grantStatements.toJSON()) as {
        Statement?: { Effect: string; Action: string | string[] }[];
      };
      const writes = (document.Statement ?? [])
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => [statement.Action].flat())
        .filter(isWriteAction);
      return writes.length === 0
        ? []
        : [`${what} reads only (access: 'read' in its route.ts) but is granted ${[...new Set(writes)].join(', ')}`];
    },
  });
}
