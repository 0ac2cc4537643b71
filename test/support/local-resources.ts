import type { PipelineResources } from '../../lambdas/local/resources';
import { declaredFor } from '../../lambdas/manifest/resources';
import type { DeploymentSettings } from '../../lambdas/settings';
import { mergeWiring } from '../../lambdas/settings/resources';

const SQS = 'http://localhost:5000/000000000000';

/**
 * The resources the runner would make for these settings under `prefix`, named as provision() names them, without an
 * emulator: every declared table and queue of the settings, and the wiring their declarations make of those names.
 */
export function localResources(prefix: string, settings: DeploymentSettings): PipelineResources {
  const declared = declaredFor(settings);
  const tables = Object.fromEntries(declared.tables.map((table) => [table.name, `${prefix}-${table.name}`]));
  const queues = Object.fromEntries(
    declared.queues.map(({ name }) => [
      name,
      {
        url: `${SQS}/${prefix}-${name}`,
        arn: `arn:aws:sqs:us-east-1:000000000000:${prefix}-${name}`,
        dlqUrl: `${SQS}/${prefix}-${name}-dlq`,
      },
    ]),
  );
  return {
    bucket: `${prefix}-images`,
    tables,
    queues,
    wiring: mergeWiring([
      ...declared.tables.map((table) => table.wiring(tables[table.name] as string)),
      ...declared.queues.map((queue) => queue.wiring(queues[queue.name]?.url as string)),
    ]),
    outputs: {},
    eventBus: `${prefix}-events`,
    archive: `${prefix}-archive`,
    subscriberQueueUrl: `${SQS}/${prefix}-subscriber`,
    subscriberRule: `${prefix}-all-events`,
  };
}

/** What the runner serves beside the emulator, named as a run on `prefix` would. */
export function localServices(prefix: string) {
  return {
    signingSecretArn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${prefix}-rendition-signing-AbCdEf`,
    renditionsUrl: 'http://localhost:3000',
    backfillStateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:${prefix}-backfill`,
  };
}
