import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CreateStateMachineCommand,
  SFNClient,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { enqueueBatchDefinition } from '../backfill/definition';
import type { DeploymentSettings } from '../settings';
import { BackfillRunStore } from './backfill-run-store';
import { LocalBackfills } from './backfill-runs';
import { type StepFunctionsService, startStepFunctionsService } from './step-functions-service';

/** Batches at once in the runner: the deployment's MaxConcurrency, at most this on one machine's moto. */
const LOCAL_MAX_CONCURRENCY = 4;

export interface LocalBackfillService {
  /** What the stack's `BackfillStateMachineArn` output is in AWS. */
  stateMachineArn: string;
  /** For `AWS_ENDPOINT_URL_SFN`. */
  url: string;
  runs: LocalBackfills;
  stop(): Promise<void>;
}

/**
 * The backfill state machine in the runner: the stack's batch definition created in the emulator's Step Functions
 * (`<prefix>-backfill-batch`), the runner's Distributed Map in front of it (backfill-runs.ts), its runs kept in the
 * table `<prefix>-backfill-executions` (backfill-run-store.ts: those a killed runner left RUNNING are carried on
 * here), and Step Functions' API for the state machine `<prefix>-backfill` (step-functions-service.ts).
 */
export async function startBackfillService(options: {
  endpoint: string;
  region: string;
  account: string;
  prefix: string;
  queueUrl: string;
  tableName: string;
  settings: DeploymentSettings;
}): Promise<LocalBackfillService> {
  const { endpoint, region, account, prefix } = options;
  // The emulator's own Step Functions, named explicitly: AWS_ENDPOINT_URL_SFN points at the service below.
  const sfn = new SFNClient({ endpoint, region });
  const name = `${prefix}-backfill-batch`;
  const definition = JSON.stringify(
    enqueueBatchDefinition({ queueUrl: options.queueUrl, tableName: options.tableName }),
  );
  const roleArn = `arn:aws:iam::${account}:role/${prefix}-backfill`;
  let childArn: string;
  try {
    ({ stateMachineArn: childArn = '' } = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn })));
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    childArn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: childArn, definition }));
  }
  // Where Step Functions would keep the runs: in the emulator, so a runner started again finds them.
  const store = new BackfillRunStore(new DynamoDBClient({ endpoint, region }), `${prefix}-backfill-executions`);
  await store.ensure();
  const runs = new LocalBackfills({
    s3: new S3Client({ endpoint, region, forcePathStyle: true }),
    sfn,
    childArn,
    store,
    maxConcurrency: Math.min(options.settings.backfillMaxConcurrency, LOCAL_MAX_CONCURRENCY),
    toleratedFailurePercentage: options.settings.backfillToleratedFailurePercentage,
  });
  await runs.resume();
  const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${prefix}-backfill`;
  const service: StepFunctionsService = await startStepFunctionsService(runs, { stateMachineArn });
  return { stateMachineArn, url: service.url, runs, stop: service.stop };
}
