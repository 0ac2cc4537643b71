import type { BackfillScope } from '../../backfill/plan';
import type { SourceBucket } from '../../settings';
import { parseSourceBucket } from '../../settings/backfill';
import {
  type AwsConfig,
  type Deployment,
  readRunnerOutputs,
  readStackOutputs,
  TargetError,
} from '../deployment-target';

/** The outputs a backfill needs (lib/image-pipeline-stack.ts); the runner adds where its Step Functions API is. */
const NEEDED = ['BackfillStateMachineArn', 'BackfillSources', 'BucketName', 'TableName', 'QueueUrl', 'DlqUrl'];
const RUNNER_NEEDED = [...NEEDED, 'StepFunctionsEndpoint'];

/** The deployment a backfill runs on, from its outputs. */
export interface BackfillTarget {
  /** For the first line: `stack ImageIntel in eu-west-1`, `the local runner at http://localhost:3000`. */
  label: string;
  stateMachineArn: string;
  /** What it may read: its own bucket's uploads/, and its sourceBuckets. */
  scope: BackfillScope;
  tableName: string;
  queueUrl: string;
  dlqUrl: string;
  /** S3 and DynamoDB clients' config; Step Functions' too, but for the endpoint below. */
  aws: AwsConfig;
  /** The runner's Step Functions API, which is not the emulator's (lambdas/local/step-functions-service.ts). */
  stepFunctionsEndpoint?: string;
  /** For a stack: the AWS CLI command that shows an execution. */
  followCommand?: (executionArn: string) => string;
}

/** The target of `--stack NAME [--region R]` or `--api URL`. */
export async function backfillTarget(flags: {
  stack?: string;
  region?: string;
  api?: string;
  apiKey?: string;
  token?: string;
}): Promise<BackfillTarget> {
  if (flags.api) {
    const credentials = { apiKey: flags.apiKey, token: flags.token };
    return backfillTargetOf(await readRunnerOutputs(flags.api, RUNNER_NEEDED, process.env, credentials));
  }
  return backfillTargetOf(await readStackOutputs(flags.stack as string, flags.region, NEEDED));
}

/** A deployment's outputs, which hold every key a backfill needs, as its target. */
export function backfillTargetOf({ label, outputs, aws, runnerApi }: Deployment): BackfillTarget {
  const region = aws.region;
  return {
    label,
    stateMachineArn: outputs.BackfillStateMachineArn as string,
    scope: { pipelineBucket: outputs.BucketName as string, sources: parseSources(outputs.BackfillSources as string) },
    tableName: outputs.TableName as string,
    queueUrl: outputs.QueueUrl as string,
    dlqUrl: outputs.DlqUrl as string,
    aws,
    stepFunctionsEndpoint: runnerApi ? outputs.StepFunctionsEndpoint : undefined,
    followCommand: runnerApi
      ? undefined
      : (arn) => `aws stepfunctions describe-execution --execution-arn ${arn} --region ${region}`,
  };
}

/** BackfillSources: a JSON array of `bucket[/prefix][=owner]`, as the settings write them (formatSources). */
function parseSources(output: string): SourceBucket[] {
  let entries: unknown;
  try {
    entries = JSON.parse(output);
  } catch {
    // reported below
  }
  if (!Array.isArray(entries)) {
    throw new TargetError(`the BackfillSources output is not a JSON array: ${output.slice(0, 200)}`);
  }
  return entries.map((entry) => {
    const parsed = parseSourceBucket(String(entry));
    if (typeof parsed === 'string') throw new TargetError(`the BackfillSources output holds ${entry}: ${parsed}`);
    return parsed;
  });
}
