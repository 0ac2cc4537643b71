import { z } from 'zod';
import { describeIssues } from '../../settings';
import { LocalDeployError } from './plan';

/** The CfnOutputs of ImagePipelineStack that the end-to-end suite needs. */
export const StackOutputsSchema = z.object({
  ApiUrl: z.url(),
  BucketName: z.string().min(1),
  TableName: z.string().min(1),
  EventBusName: z.string().min(1),
  QueueUrl: z.url(),
  DlqUrl: z.url(),
  /** Only with auth=apikey. */
  ApiKeyId: z.string().min(1).optional(),
  /** Only with auth=cognito. */
  UserPoolId: z.string().min(1).optional(),
});
export type StackOutputs = z.infer<typeof StackOutputsSchema>;

/**
 * The pipeline stack's outputs from a `cdk deploy --outputs-file` file (`{ "<stack>": { "<output>": "..." } }`):
 * the one stack that has an ApiUrl.
 */
export function stackOutputs(file: unknown): StackOutputs {
  const stacks = Object.entries((file ?? {}) as Record<string, Record<string, unknown>>);
  const found = stacks.filter(([, outputs]) => typeof outputs === 'object' && outputs !== null && 'ApiUrl' in outputs);
  if (found.length !== 1) {
    throw new LocalDeployError(
      `expected one stack with an ApiUrl output in the outputs file, found ${found.length} (stacks: ${
        stacks.map(([name]) => name).join(', ') || 'none'
      })`,
    );
  }
  const [name, outputs] = found[0] as [string, unknown];
  const parsed = StackOutputsSchema.safeParse(outputs);
  if (!parsed.success) throw new LocalDeployError(`outputs of ${name}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * The API's invoke URL through LocalStack's gateway. CloudFormation's ApiUrl names an AWS host
 * (`https://<id>.execute-api.<region>.<suffix>/<stage>/`); LocalStack serves the same API at
 * `<endpoint>/_aws/execute-api/<id>/<stage>/`, which needs no DNS for `*.localhost.localstack.cloud`.
 */
export function localstackApiUrl(apiUrl: string, endpoint: string): string {
  const url = new URL(apiUrl);
  const apiId = /^([a-z0-9]+)\.execute-api\./i.exec(url.hostname)?.[1];
  const stage = url.pathname.split('/').filter(Boolean)[0];
  if (!apiId || !stage) throw new LocalDeployError(`ApiUrl ${apiUrl} is not an API Gateway invoke URL`);
  return `${endpoint.replace(/\/$/, '')}/_aws/execute-api/${apiId}/${stage}/`;
}

/** The variables test/e2e/global-setup.ts reads to target a deployment, in the order they are printed. */
export function e2eEnvironment(
  outputs: StackOutputs,
  options: { endpoint: string; region: string; apiKey?: string },
): [name: string, value: string][] {
  return [
    ['E2E_API_URL', localstackApiUrl(outputs.ApiUrl, options.endpoint)],
    ...(options.apiKey ? [['E2E_API_KEY', options.apiKey] as [string, string]] : []),
    ['AWS_ENDPOINT_URL', options.endpoint],
    ['AWS_REGION', options.region],
    // LocalStack accepts any credentials; the SDK needs some.
    ['AWS_ACCESS_KEY_ID', 'test'],
    ['AWS_SECRET_ACCESS_KEY', 'test'],
    ['E2E_BUCKET', outputs.BucketName],
    ['E2E_TABLE', outputs.TableName],
    ['E2E_QUEUE_URL', outputs.QueueUrl],
    ['E2E_DLQ_URL', outputs.DlqUrl],
    ['E2E_EVENT_BUS', outputs.EventBusName],
  ];
}

/** One shell command line: the variables, then the e2e project of jest. */
export function e2eCommandLine(environment: readonly [string, string][]): string {
  const lines = environment.map(([name, value]) => `${name}=${shellQuote(value)}`);
  return [...lines, 'npx jest --selectProjects e2e'].join(' \\\n  ');
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
