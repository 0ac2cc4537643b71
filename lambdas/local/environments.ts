import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { environmentOf } from '../kit/api-function';
import { ALL_PIPELINE_FUNCTIONS } from '../manifest/manifest';
import { apiFunctionsFor } from '../manifest/routes';
import type { ApiFunctionsWiring, PipelineFunctionsWiring } from '../manifest/wiring';
import type { DeploymentSettings } from '../settings';
import type { FunctionEnvironment } from '../settings/env';
import type { PipelineResources } from './resources';

/** What the runner serves renditions with: the secret their URLs are signed with, and its own URL. */
export interface LocalRenditions {
  signingSecretArn: string;
  /** Where rendition URLs point: the runner itself, which serves the render function beside the API. */
  renditionsUrl: string;
}

/** What the runner serves beside the emulator's resources: renditions, and the backfill state machine's API. */
export interface LocalServices extends LocalRenditions {
  /** The backfill state machine, as its Step Functions API (`AWS_ENDPOINT_URL_SFN`) names it. */
  backfillStateMachineArn: string;
  /** Where the runner serves the web app (its own URL): a share link opens its shared page there. */
  webAppUrl?: string;
}

/**
 * The environments the stack gives each function, made by the same `environmentFor` of each function's contract,
 * for the resources the runner created. The runner's handlers share one process, so they are merged into one; two
 * functions that disagree on a variable would be a wiring bug, and fail here. `apiClientsParameter`: with
 * `auth=apikey`, the SSM parameter the runner wrote its API key's client to, as the stack writes each key's.
 * `visionFunctionName`: with inference offline, the vision function the processor invokes (the runner serves it).
 */
export function functionEnvironments(
  resources: PipelineResources,
  services: LocalServices,
  settings: DeploymentSettings,
  apiClientsParameter = '',
  visionFunctionName?: string,
): FunctionEnvironment {
  // The runner has no Rekognition: without the offline models' function, the pipeline runs without vision.
  const local = { ...settings, inference: visionFunctionName ? ('offline' as const) : ('none' as const) };
  // What each declared table and queue makes of its name (PipelineResources.wiring), and the rest of the deployment.
  const wiring = {
    ...resources.wiring,
    bucketName: resources.bucket,
    eventBusName: resources.eventBus,
    settings: local,
    apiClientsParameter,
    ...services,
  } as unknown as ApiFunctionsWiring & PipelineFunctionsWiring;
  const environments: Record<string, FunctionEnvironment> = {
    // Each API function's, as its route in lambdas/manifest/routes.ts names it.
    ...Object.fromEntries(
      apiFunctionsFor(settings).map((fn) => [fn.route(settings).operationId, environmentOf(fn, wiring)]),
    ),
    // The other functions of lambdas/manifest/manifest.ts. Image watermarks are read where the settings name
    // them, in the project (the stack bundles them instead).
    ...Object.fromEntries(
      Object.entries(ALL_PIPELINE_FUNCTIONS).map(([name, fn]) => [
        name,
        environmentOf(fn, {
          ...wiring,
          watermarkFiles: 'project',
          maxReceiveCount: INGEST_QUEUE.redrive.maxReceiveCount,
          visionFunctionName,
        }),
      ]),
    ),
  };
  return mergeEnvironments(environments);
}

/** One environment from several, refusing a variable that two of them set differently. */
export function mergeEnvironments(environments: Record<string, FunctionEnvironment>): FunctionEnvironment {
  const merged: FunctionEnvironment = {};
  const setBy: Record<string, string> = {};
  for (const [name, environment] of Object.entries(environments)) {
    for (const [key, value] of Object.entries(environment)) {
      if (key in merged && merged[key] !== value) {
        throw new Error(`${setBy[key]} and ${name} disagree on ${key}: '${merged[key]}' vs '${value}'`);
      }
      merged[key] = value;
      setBy[key] = name;
    }
  }
  return merged;
}
