import type { LocalEndpoint } from './api-server';
import type { PipelineResources } from './resources';

/**
 * The runner's stack outputs: what `aws cloudformation describe-stacks` shows for a deployed stack, under the same
 * output keys, for the resources the runner created, plus where the emulator answers. Tools that take `--stack NAME`
 * against AWS (image-intel smoke) read these with `--api URL` instead.
 */
export interface LocalOutputs {
  /**
   * BucketName, EventBusName, and each output a declared table or queue names (lambdas/manifest/resources.ts):
   * TableName, SearchTableName, QueueUrl, DlqUrl and the others of the settings' resources.
   */
  readonly [declared: string]: string;
  ApiUrl: string;
  BucketName: string;
  EventBusName: string;
  RenditionsUrl: string;
  RenditionSigningSecretArn: string;
  WebAppUrl: string;
  /** The backfill state machine, behind the runner's Step Functions API (AWS_ENDPOINT_URL_SFN below). */
  BackfillStateMachineArn: string;
  /** The sourceBuckets a backfill may read, a JSON array of `bucket[/prefix][=owner]` (the runner's settings). */
  BackfillSources: string;
  /** The emulator every resource above lives in (AWS_ENDPOINT_URL for an SDK client). */
  Endpoint: string;
  /** Where the backfill state machine answers Step Functions' API (AWS_ENDPOINT_URL_SFN for an SDK client). */
  StepFunctionsEndpoint: string;
  Region: string;
}

export const LOCAL_OUTPUTS_PATH = '/_local/outputs';

/**
 * `GET /_local/outputs`, behind the API's auth: it names the emulator, which takes any request on its port, so it is
 * for the tools of someone who may call the API (image-intel smoke and backfill send their --token or --api-key).
 */
export function outputsEndpoint(outputs: LocalOutputs): LocalEndpoint {
  return {
    method: 'GET',
    path: LOCAL_OUTPUTS_PATH,
    authenticated: true,
    handle: () => ({ status: 200, body: outputs }),
  };
}

export function localOutputs(
  resources: PipelineResources,
  where: {
    apiUrl: string;
    webUrl: string;
    signingSecretArn: string;
    endpoint: string;
    region: string;
    backfill: string;
    backfillSources: string;
    stepFunctions: string;
  },
): LocalOutputs {
  return {
    ...resources.outputs,
    ApiUrl: where.apiUrl,
    BucketName: resources.bucket,
    EventBusName: resources.eventBus,
    RenditionsUrl: where.apiUrl,
    RenditionSigningSecretArn: where.signingSecretArn,
    WebAppUrl: where.webUrl,
    BackfillStateMachineArn: where.backfill,
    BackfillSources: where.backfillSources,
    Endpoint: where.endpoint,
    StepFunctionsEndpoint: where.stepFunctions,
    Region: where.region,
  };
}
