import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { reasonOf } from '../api-client';
import {
  type AwsConfig,
  type Deployment,
  type RunnerCredentials,
  readRunnerOutputs,
  readStackOutputs,
  TargetError,
} from '../deployment-target';

export { type AwsConfig, TargetError } from '../deployment-target';

/** The outputs `image-intel smoke` reads: the stack's (lib/image-pipeline-stack.ts), or the runner's same keys. */
const NEEDED = ['ApiUrl', 'EventBusName', 'QueueUrl', 'DlqUrl'] as const;

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

/**
 * A deployed stack's target: DescribeStacks in `region` (else the SDK's default Region) with the default
 * credential chain, as `cdk deploy` finds them.
 */
export async function targetFromStack(
  stackName: string,
  region: string | undefined,
  cloudFormation?: CloudFormationClient,
): Promise<SmokeTarget> {
  const deployment = await readStackOutputs(stackName, region, NEEDED, cloudFormation);
  return { ...smokeTargetOf(deployment), authHint: authHintOf(deployment.outputs) };
}

/** The local runner's target: `GET <api>/_local/outputs`, the stack's output keys plus the emulator's endpoint. */
export async function targetFromRunner(
  api: string,
  env: NodeJS.ProcessEnv = process.env,
  credentials: RunnerCredentials = {},
): Promise<SmokeTarget> {
  return { ...smokeTargetOf(await readRunnerOutputs(api, NEEDED, env, credentials)), apiUrl: api };
}

/** Fails, before any step, when the API does not answer at all (any HTTP status will do: it is there). */
export async function checkReachable(target: SmokeTarget): Promise<void> {
  try {
    await fetch(target.apiUrl, { signal: AbortSignal.timeout(10_000) }).then((response) => response.body?.cancel());
  } catch (error) {
    throw new TargetError(`cannot reach the API of ${target.label} at ${target.apiUrl}: ${reasonOf(error)}`);
  }
}

function smokeTargetOf({ label, outputs, aws }: Deployment): SmokeTarget {
  return {
    label,
    apiUrl: outputs.ApiUrl as string,
    eventBus: outputs.EventBusName as string,
    queueUrl: outputs.QueueUrl as string,
    dlqUrl: outputs.DlqUrl as string,
    aws,
  };
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
