import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { reasonOf, withSlash } from './api-client';
import { errorText } from './smoke-subscriber';

/** The outputs `image-intel smoke` reads: the stack's (lib/image-pipeline-stack.ts), or the runner's same keys. */
const NEEDED = ['ApiUrl', 'EventBusName', 'QueueUrl', 'DlqUrl'] as const;
type Needed = Record<(typeof NEEDED)[number], string>;

/** Where the runner answers its outputs (lambdas/local/outputs-endpoint.ts). */
const RUNNER_OUTPUTS_PATH = '_local/outputs';

/** What SDK clients for the target's bus and queues need: its Region, and for an emulator its endpoint. */
export interface AwsConfig {
  region: string;
  endpoint?: string;
  /** Left out: the SDK's default chain finds them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The deployment a smoke run checks, from its outputs. */
export interface SmokeTarget {
  /** For the first line: `stack ImageIntel in eu-west-1`, `the local runner at http://localhost:3000`. */
  label: string;
  apiUrl: string;
  eventBus: string;
  queueUrl: string;
  dlqUrl: string;
  aws: AwsConfig;
  /** What the stack says of its API's auth, to add to a 401/403 (the runner's outputs do not say). */
  authHint?: string;
}

/** The stack or the runner could not be read: nothing was checked. The message is the whole story, one line. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** Statuses in which a stack's resources are all there: deployed, or put back as they were by a failed update. */
const USABLE = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;
const SETTLING = /^(UPDATE_COMPLETE_CLEANUP_IN_PROGRESS|UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS)$/;

/**
 * A deployed stack's target: DescribeStacks in `region` (else the SDK's default Region) with the default
 * credential chain, as `cdk deploy` finds them.
 */
export async function targetFromStack(
  stackName: string,
  region: string | undefined,
  cloudFormation: CloudFormationClient = new CloudFormationClient(region ? { region } : {}),
): Promise<SmokeTarget> {
  let resolved: string;
  try {
    resolved = await cloudFormation.config.region();
  } catch {
    throw new TargetError('no AWS Region: give --region, or set AWS_REGION (or a region in your AWS profile)');
  }
  const where = `stack ${stackName} in ${resolved}`;
  let stack: Stack | undefined;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    stack = Stacks?.[0];
  } catch (error) {
    throw new TargetError(describeStacksFailure(error, stackName, resolved));
  }
  if (!stack) throw new TargetError(`${where} not found: check --stack and --region`);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (!USABLE.test(status) && !SETTLING.test(status)) {
    const why = /_IN_PROGRESS$/.test(status)
      ? 'wait until its deploy has finished'
      : `its resources may not all be there: see aws cloudformation describe-stack-events --stack-name ${stackName} --region ${resolved}`;
    throw new TargetError(`${where} is ${status}: ${why}`);
  }
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const found = pick(outputs, `${where} has no output`, 'is it an image-intel stack, deployed by this version?');
  return { label: where, ...found, aws: { region: resolved }, authHint: authHintOf(outputs) };
}

/** The local runner's target: `GET <api>/_local/outputs`, the stack's output keys plus the emulator's endpoint. */
export async function targetFromRunner(api: string, env: NodeJS.ProcessEnv = process.env): Promise<SmokeTarget> {
  const url = new URL(RUNNER_OUTPUTS_PATH, withSlash(api));
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new TargetError(`cannot reach ${api}: ${reasonOf(error)}: is the local runner running (npm start)?`);
  }
  // A deployed API answers a path it does not have with 403 (API Gateway) or 404.
  if (response.status === 403 || response.status === 404) {
    throw new TargetError(
      `${api} answers ${response.status} to GET /${RUNNER_OUTPUTS_PATH}: --api is for the local runner (npm start); ` +
        'for a deployed stack give --stack NAME',
    );
  }
  const text = await response.text();
  let outputs: Record<string, unknown> | undefined;
  try {
    outputs = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (!response.ok || typeof outputs !== 'object' || outputs === null) {
    throw new TargetError(
      `GET ${url.pathname} answered ${response.status} ${text.slice(0, 200)}: not the runner's outputs`,
    );
  }
  const found = pick(outputs, `the runner's outputs have no`, 'is the runner older than this CLI? restart npm start');
  const endpoint = typeof outputs.Endpoint === 'string' ? outputs.Endpoint : undefined;
  if (!endpoint) throw new TargetError(`the runner's outputs have no Endpoint: restart npm start with this version`);
  // An emulator takes any credentials, but the SDK wants some: the ones you set, else test/test.
  const haveCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return {
    label: `the local runner at ${api}`,
    ...found,
    apiUrl: api,
    aws: {
      region: typeof outputs.Region === 'string' ? outputs.Region : 'us-east-1',
      endpoint,
      credentials: haveCredentials ? undefined : { accessKeyId: 'test', secretAccessKey: 'test' },
    },
  };
}

/** Fails, before any step, when the API does not answer at all (any HTTP status will do: it is there). */
export async function checkReachable(target: SmokeTarget): Promise<void> {
  try {
    await fetch(target.apiUrl, { signal: AbortSignal.timeout(10_000) }).then((response) => response.body?.cancel());
  } catch (error) {
    throw new TargetError(`cannot reach the API of ${target.label} at ${target.apiUrl}: ${reasonOf(error)}`);
  }
}

function pick(outputs: Record<string, unknown>, missing: string, hint: string) {
  const absent = NEEDED.filter((key) => typeof outputs[key] !== 'string' || outputs[key] === '');
  if (absent.length > 0) throw new TargetError(`${missing} ${absent.join(', ')}: ${hint}`);
  const value = outputs as Needed;
  return { apiUrl: value.ApiUrl, eventBus: value.EventBusName, queueUrl: value.QueueUrl, dlqUrl: value.DlqUrl };
}

/** A stack with a user pool takes Cognito ID tokens; one with API key ids, keys (lib/image-pipeline-stack.ts). */
function authHintOf(outputs: Record<string, string>): string | undefined {
  if (outputs.UserPoolId)
    return "the stack uses Cognito: --token takes a user's ID token, see docs/deploy.md#users-with-authcognito";
  const keyId = Object.keys(outputs).find((key) => key.startsWith('ApiKeyId'));
  if (keyId) {
    return `the stack takes API keys: --api-key KEY, from aws apigateway get-api-key --include-value --api-key ${outputs[keyId]}`;
  }
  return undefined;
}

/** DescribeStacks' failures in the words that tell the user what to fix. */
function describeStacksFailure(error: unknown, stackName: string, region: string): string {
  const { name = '', message = String(error) } = error as { name?: string; message?: string };
  if (/does not exist/.test(message)) {
    return `stack ${stackName} not found in ${region}: check --stack (the stackName you deployed, default ImageIntel) and --region`;
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return `no AWS credentials to read stack ${stackName}: set them up as for cdk deploy (aws configure, AWS_PROFILE, aws sso login): ${message}`;
  }
  return `cannot read stack ${stackName} in ${region}: ${errorText(error)}`;
}
