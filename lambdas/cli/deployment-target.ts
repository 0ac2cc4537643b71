import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { bearer, reasonOf, withSlash } from './api-client';

/** Where the runner answers its outputs (lambdas/local/outputs-endpoint.ts). */
const RUNNER_OUTPUTS_PATH = '_local/outputs';

/** What SDK clients for a deployment's resources need: its Region, and for an emulator its endpoint. */
export interface AwsConfig {
  region: string;
  endpoint?: string;
  /** Left out: the SDK's default chain finds them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A deployment as its outputs describe it: a stack's (lib/image-pipeline-stack.ts), or the local runner's, which
 * has the same keys plus where the emulator answers (`Endpoint`, `StepFunctionsEndpoint`). Each command names the
 * outputs it needs; these are all there.
 */
export interface Deployment {
  /** For a command's first line: `stack ImageIntel in eu-west-1`, `the local runner at http://localhost:3000`. */
  label: string;
  /** Every output with a string value, by key. */
  outputs: Record<string, string>;
  aws: AwsConfig;
  /** Set for the local runner only: the `--api` URL it was read from. */
  runnerApi?: string;
}

/** The stack or the runner could not be read: nothing was done. The message is the whole story, one line. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** Statuses in which a stack's resources are all there: deployed, or put back as they were by a failed update. */
const USABLE = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;
const SETTLING = /^(UPDATE_COMPLETE_CLEANUP_IN_PROGRESS|UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS)$/;

/**
 * A deployed stack's outputs: DescribeStacks in `region` (else the SDK's default Region) with the default
 * credential chain, as `cdk deploy` finds them. Fails unless the stack is usable and has every `needed` output.
 */
export async function readStackOutputs(
  stackName: string,
  region: string | undefined,
  needed: readonly string[],
  cloudFormation: CloudFormationClient = new CloudFormationClient(region ? { region } : {}),
): Promise<Deployment> {
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
  requireOutputs(outputs, needed, `${where} has no output`, 'is it an image-intel stack, deployed by this version?');
  return { label: where, outputs, aws: { region: resolved } };
}

/** How a command authenticates to the runner, as to its API: `--api-key`, `--token`. */
export interface RunnerCredentials {
  apiKey?: string;
  token?: string;
}

/**
 * The local runner's outputs: `GET <api>/_local/outputs`, with the API's credentials (the runner asks for them as its
 * API does). Its SDK clients go to the emulator (`Endpoint`) with the AWS credentials you set, else test/test, since
 * an emulator takes any but the SDK wants some.
 */
export async function readRunnerOutputs(
  api: string,
  needed: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  credentials: RunnerCredentials = {},
): Promise<Deployment> {
  const url = new URL(RUNNER_OUTPUTS_PATH, withSlash(api));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
  if (credentials.token) headers.authorization = bearer(credentials.token);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new TargetError(`cannot reach ${api}: ${reasonOf(error)}: is the local runner running (npm start)?`);
  }
  const refusal = await runnerRefusal(response, credentials);
  if (refusal) throw new TargetError(`${api} answers ${response.status} to GET /${RUNNER_OUTPUTS_PATH}: ${refusal}`);
  // A deployed API answers a path it does not have with 403 (API Gateway) or 404.
  if (response.status === 403 || response.status === 404) {
    throw new TargetError(
      `${api} answers ${response.status} to GET /${RUNNER_OUTPUTS_PATH}: --api is for the local runner (npm start); ` +
        'for a deployed stack give --stack NAME',
    );
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // reported below
  }
  if (!response.ok || typeof parsed !== 'object' || parsed === null) {
    throw new TargetError(
      `GET ${url.pathname} answered ${response.status} ${text.slice(0, 200)}: not the runner's outputs`,
    );
  }
  const outputs = Object.fromEntries(
    Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  requireOutputs(
    outputs,
    needed,
    `the runner's outputs have no`,
    'is the runner older than this CLI? restart npm start',
  );
  const endpoint = outputs.Endpoint;
  if (!endpoint) throw new TargetError(`the runner's outputs have no Endpoint: restart npm start with this version`);
  const haveCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return {
    label: `the local runner at ${api}`,
    outputs,
    runnerApi: api,
    aws: {
      region: outputs.Region ?? 'us-east-1',
      endpoint,
      credentials: haveCredentials ? undefined : { accessKeyId: 'test', secretAccessKey: 'test' },
    },
  };
}

/** An AWS SDK error as one line: its name (when it has one of its own) and message. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

function requireOutputs(outputs: Record<string, string>, needed: readonly string[], missing: string, hint: string) {
  const absent = needed.filter((key) => !outputs[key]);
  if (absent.length > 0) throw new TargetError(`${missing} ${absent.join(', ')}: ${hint}`);
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

/** What the runner's own 401 or 403 (its API's auth: `{"message":"Unauthorized"}`, `"Forbidden"`) asks for. */
async function runnerRefusal(response: Response, credentials: RunnerCredentials): Promise<string | undefined> {
  if (response.status !== 401 && response.status !== 403) return undefined;
  const message = await response
    .clone()
    .json()
    .then((body) => (body as { message?: unknown } | null)?.message)
    .catch(() => undefined);
  if (response.status === 401 && message === 'Unauthorized') {
    return credentials.token
      ? 'the runner did not take --token (expired, or from another run?): npx image-intel token --api URL --user NAME'
      : 'the runner takes --auth jwt: give --token (or IMAGE_INTEL_TOKEN), from npx image-intel token';
  }
  if (response.status === 403 && message === 'Forbidden') {
    return credentials.apiKey
      ? 'the runner did not take --api-key: its banner shows its key'
      : 'the runner takes --auth apikey: give --api-key KEY (its banner shows it)';
  }
  return undefined;
}
