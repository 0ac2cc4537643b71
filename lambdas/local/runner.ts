import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { DECLARED_SCHEDULES } from '../manifest/resources';
import { RUNNER_PLUGINS } from '../manifest/runner-plugins';
import type { DeploymentSettings } from '../settings';
import { formatSources } from '../settings/backfill';
import { imagesInFlight, processorConcurrency } from '../settings/processing';
import { WEB_BASE } from '../settings/web-config';
import { openApiEndpoint } from './api-document';
import { apiRequestListener, type LocalEndpoint } from './api-server';
import { recordAwsCalls } from './aws-calls';
import { startBackfillService } from './backfill-service';
import { closeServer } from './close-server';
import { type Emulator, LibraryFolderError, startEmulator } from './emulator';
import { functionEnvironments } from './environments';
import { openFrontDoor } from './front-door';
import { apiRoutes, renditionFunction, startVisionFunction } from './handlers';
import { portsOf } from './host-check';
import type { LambdaService } from './lambda-service';
import {
  apiClientsFor,
  authSettingFor,
  type LocalAuthInfo,
  type LocalAuthOptions,
  prepareLocalAuth,
} from './local-auth';
import { readSettings } from './local-settings';
import { localOutputs, outputsEndpoint } from './outputs-endpoint';
import { messagesEndpoint, type PollerStats } from './poller';
import { pollerStats, queuePollers, startPolling } from './queue-pollers';
import {
  type LocalQueue,
  type PipelineResources,
  provision,
  provisionApiClients,
  provisionSigningSecret,
  type SigningSecret,
} from './resources';
import { type S3Gateway, startS3Gateway } from './s3-gateway';
import { startSchedule } from './schedules';
import { type ServeAddress, serveAddress } from './serve-address';
import { localWebConfig, serveWebApp } from './web-app';

/** Vision in the runner: the offline models, as the vision function the processor invokes through Lambda's API, or none. */
export type LocalInference = 'offline' | 'none';

export interface RunnerOptions {
  /** HTTP port of the API; 0 picks a free one. */
  port: number;
  /** Where the API and web app listen, and the host their URLs name (serve-address.ts). Default: loopback. */
  address?: ServeAddress;
  inference: LocalInference;
  /** How every API route authenticates (see `LocalAuthMode`). Default none. */
  auth?: LocalAuthOptions;
  /** Name prefix of every resource. */
  prefix: string;
  /** Use this endpoint (LocalStack, a running moto) instead of starting moto. */
  endpoint?: string;
  /**
   * Batches processed at once. Default: the stack's (the event source's maximum concurrency from the settings),
   * at most this machine's cores: locally every batch shares one machine, in Lambda each has its own.
   */
  concurrency?: number;
  /** Settings over cdk.json's, as `-c key=value` gives them to `cdk deploy`. */
  context?: Record<string, string>;
  retryDelaySeconds: number;
  /** The ingest queue's; default the stack's (6 x the processor's timeout + its batching window). */
  visibilityTimeoutSeconds?: number;
  /** Poll the ingest queue into the processor. Default true; false leaves uploads PENDING, as a stopped processor. */
  processor?: boolean;
  /** Append every AWS call each function makes to this file (see aws-calls.ts). */
  recordCalls?: string;
  /** Seconds an API route's function may take (default API Gateway's 29; see api-server.ts). */
  apiTimeoutSeconds?: number;
  /** Each plug-in's option (lambdas/manifest/runner-plugins.ts), by the plug-in's name, as `npm start` read it. */
  pluginOptions?: Readonly<Record<string, string>>;
  /** Where the project lives (cdk.json settings, the moto virtualenv). */
  projectDir: string;
  /**
   * Keep the library (moto's state: images, records, albums, people, shares, webhooks, settings, signing secrets) in
   * this folder across restarts (moto-snapshots.ts). Default: in memory, lost when the runner stops. Not with
   * `endpoint`, which keeps its own.
   */
  dataDir?: string;
  log: (line: string) => void;
}

export interface RunningPipeline {
  apiUrl: string;
  /** The web app (`npm run build:web`), on the API's origin. */
  webUrl: string;
  endpoint: string;
  emulator: string;
  resources: PipelineResources;
  /** What the plug-ins made at start: their banner lines and their fields of the ready file. */
  plugins: { banner: string[]; ready: Record<string, unknown> };
  /**
   * Where rendition URLs point (the runner itself: `<url>/<imageId>?<spec>&exp&kid&sig`) and the secret they are
   * signed with.
   */
  renditions: { url: string; signingSecret: SigningSecret };
  /** With `--host` serving the network, where presigned S3 URLs point (the runner's S3 gateway, s3-gateway.ts). */
  s3Gateway?: string;
  /** What the functions run with: cdk.json's, -c's, the runner's auth, and as each plug-in has them given the runner's own ports. */
  settings: DeploymentSettings;
  inference: LocalInference;
  /** With inference offline, the vision function the processor invokes by name. */
  visionFunction?: string;
  /** With auth apikey, the SSM parameter holding the API clients' directory ('' otherwise). */
  apiClientsParameter: string;
  /** The backfill state machine, as the stack's output BackfillStateMachineArn names it. */
  backfillStateMachineArn: string;
  /** The runner's own AWS APIs (AWS_ENDPOINT_URL_SFN, and _LAMBDA with inference offline), host-checked as the API. */
  services: { stepFunctions: string; lambda?: string };
  auth: LocalAuthInfo;
  /** How the processor is fed, from the settings: what the stack's event source does. */
  processing: { batchSize: number; batchWindowSeconds: number; imagesInFlight: number; concurrency: number };
  /** Each declared queue's poller by the queue's name, the ingest queue's as `poller`. */
  stats(): Record<string, PollerStats>;
  stop(): Promise<void>;
}

/**
 * The whole pipeline on one machine.
 *
 * 1. Start moto (or use AWS_ENDPOINT_URL) and point every SDK client of this process at it.
 * 2. Create the stack's resources from the shared design, with the stack's settings from cdk.json.
 * 3. Serve the API routes and the render function's URL with the real handlers, and poll the ingest queue into
 *    the real processor handler, which invokes the vision function (offline models) through a local Lambda API.
 */
export async function startPipeline(options: RunnerOptions): Promise<RunningPipeline> {
  if (options.dataDir && options.endpoint) {
    throw new LibraryFolderError(
      `a data folder (${options.dataDir}) keeps the runner's own moto: with AWS_ENDPOINT_URL (${options.endpoint}) the library is that endpoint's`,
    );
  }
  const emulator = await startEmulator({
    endpoint: options.endpoint,
    venvDir: path.join(options.projectDir, '.local', 'moto-venv'),
    log: options.log,
    ...(options.dataDir && { library: { dir: options.dataDir, runnerVersion: runnerVersion(options.projectDir) } }),
  });
  try {
    return await startOn(emulator, options);
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

async function startOn(emulator: Emulator, options: RunnerOptions): Promise<RunningPipeline> {
  const userCredentials = process.env.AWS_ACCESS_KEY_ID !== undefined;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_S3_FORCE_PATH_STYLE: 'true',
  });
  const sqs = new SQSClient({});
  const clients = {
    s3: new S3Client({ forcePathStyle: true }),
    sqs,
    dynamodb: new DynamoDBClient({}),
    events: new EventBridgeClient({}),
  };
  const auth = options.auth ?? { mode: 'none' };
  // Whatever cdk.json says, the handlers must read callers where the runner's auth puts them.
  // The plug-ins' defaults (lambdas/manifest/runner-plugins.ts), under what cdk.json and -c say.
  const context = Object.assign({}, ...RUNNER_PLUGINS.map((plugin) => plugin.contextDefaults ?? {}), options.context);
  // Read under the runner's auth, since some settings follow it (an owner-less source entry is local's with none).
  const settings = readSettings(options.projectDir, { ...context, auth: authSettingFor(auth.mode) }, options.log);
  // What the functions run with: the same, as each plug-in has it given the runner's own ports (a POST to a URL an
  // owner chose never reaches one), each added to `ownUrls` as it opens, before the functions are loaded.
  const ownUrls: string[] = [];
  const functionSettings = (): DeploymentSettings =>
    Object.assign(
      { ...settings },
      ...RUNNER_PLUGINS.map((plugin) => plugin.functionSettings?.(settings, portsOf(ownUrls)) ?? {}),
    );
  const processing = {
    batchSize: settings.processorBatchSize,
    batchWindowSeconds: settings.processorBatchWindowSeconds,
    imagesInFlight: imagesInFlight(settings),
    concurrency: options.concurrency ?? Math.min(processorConcurrency(settings), availableParallelism()),
  };
  const address = options.address ?? serveAddress(undefined);
  const door = await openFrontDoor(options.port, address, settings.corsOrigins);
  const { server, port, url: apiUrl } = door;
  const services: LambdaService[] = [];
  let gateway: S3Gateway | undefined;
  ownUrls.push(apiUrl, emulator.endpoint);
  try {
    const resources = await provision(clients, {
      prefix: options.prefix,
      settings,
      ...(options.visibilityTimeoutSeconds !== undefined && {
        visibilityTimeoutSeconds: { [INGEST_QUEUE.name]: options.visibilityTimeoutSeconds },
      }),
      corsOrigins: [...settings.corsOrigins, apiUrl, `http://127.0.0.1:${port}`],
    });
    const region = process.env.AWS_REGION ?? 'us-east-1';
    // The emulator stays on loopback: on the network, the S3 URLs handed out name the runner's gateway instead.
    if (address.network) gateway = startS3Gateway(apiUrl, emulator.endpoint, region);
    // What the rooms add beyond their declared resources: each plug-in's part of the wiring, banner and ready file.
    const plugins = { banner: [] as string[], ready: {} as Record<string, unknown> };
    for (const plugin of RUNNER_PLUGINS) {
      const option = options.pluginOptions?.[plugin.name];
      const started = await plugin.start?.({ settings, option, prefix: options.prefix, region, userCredentials });
      Object.assign(resources.wiring, started?.wiring);
      plugins.banner.push(...(started?.banner ?? []));
      Object.assign(plugins.ready, started?.ready);
    }
    const ingest = resources.queues[INGEST_QUEUE.name] as LocalQueue;
    const signingSecret = await provisionSigningSecret(new SecretsManagerClient({}), options.prefix);
    const renditions = { signingSecretArn: signingSecret.arn, renditionsUrl: apiUrl };
    // Backfills: the stack's batch definition in the emulator's Step Functions, the Distributed Map done here.
    const backfill = await startBackfillService({
      ...{ endpoint: emulator.endpoint, region, account: ingest.arn.split(':')[4] as string },
      ...{ prefix: options.prefix, queueUrl: ingest.url, tableName: resources.wiring.tableName as string, settings },
    });
    services.push(backfill);
    ownUrls.push(backfill.url);
    Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: backfill.url });
    // The handlers parse their environment once, when loaded: set it, then load them.
    const apiClients = await provisionApiClients(new SSMClient({}), options.prefix, apiClientsFor(auth.mode));
    const environment = (visionFunctionName?: string) =>
      functionEnvironments(
        resources,
        { ...renditions, backfillStateMachineArn: backfill.stateMachineArn, webAppUrl: apiUrl },
        functionSettings(),
        apiClients,
        visionFunctionName,
      );
    Object.assign(process.env, environment(), {
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    });
    if (options.recordCalls) recordAwsCalls(options.recordCalls);

    // With the offline models, the processor invokes their function through Lambda's API, as in the stack.
    const vision = options.inference === 'offline' ? await startVisionFunction(options.prefix, options.log) : undefined;
    if (vision) {
      services.push(vision.service);
      ownUrls.push(vision.service.url);
      Object.assign(process.env, environment(vision.name), { AWS_ENDPOINT_URL_LAMBDA: vision.service.url });
    }
    const inference: LocalInference = vision ? 'offline' : 'none';
    const pollers = queuePollers({
      sqs,
      resources,
      settings,
      ingestConcurrency: processing.concurrency,
      retryDelaySeconds: options.retryDelaySeconds,
      log: options.log,
    });
    // The stack's schedules: each puts its message on its queue at start, every so often and on demand.
    const schedules = DECLARED_SCHEDULES.filter((declared) => resources.queues[declared.queue]).map((declared) =>
      startSchedule(sqs, declared, (resources.queues[declared.queue] as LocalQueue).url, options.log),
    );
    // What was written until now (the schedules' messages at start too) is the start's provisioning, which every start
    // makes again: a data folder takes no snapshot for it.
    await Promise.all(schedules.map((schedule) => schedule.sent));
    await emulator.provisioned?.();
    const [routes, renderer] = await Promise.all([apiRoutes(settings), renditionFunction()]);
    const stats: LocalEndpoint = {
      method: 'GET',
      path: '/_local/stats',
      handle: () => ({ status: 200, body: pollerStats(pollers) }),
    };
    const messages = messagesEndpoint(Object.fromEntries(Object.entries(pollers).map(([name, p]) => [name, p.poller])));
    const served = (await prepareLocalAuth(auth)).at(apiUrl);
    const api = apiRequestListener({
      routes,
      ...(options.apiTimeoutSeconds !== undefined && { timeoutMs: options.apiTimeoutSeconds * 1000 }),
      functionUrls: [renderer],
      auth: served.api,
      extras: [
        stats,
        messages,
        ...schedules.map((schedule) => schedule.endpoint),
        outputsEndpoint(
          localOutputs(resources, {
            apiUrl,
            webUrl: `${apiUrl}${WEB_BASE}`,
            signingSecretArn: signingSecret.arn,
            endpoint: emulator.endpoint,
            region,
            backfill: backfill.stateMachineArn,
            backfillSources: JSON.stringify(formatSources(settings.sourceBuckets)),
            stepFunctions: backfill.url,
          }),
        ),
        openApiEndpoint(settings, apiUrl, options.projectDir),
        ...served.extras,
      ],
      log: options.log,
    });
    const webApp = {
      distDir: path.join(options.projectDir, 'web', 'dist'),
      config: localWebConfig(settings, auth.mode),
    };
    door.open(
      (request, response) =>
        gateway?.handle(request, response) || serveWebApp(request, response, webApp) || api(request, response),
    );
    startPolling(pollers, options.processor !== false);

    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      webUrl: `${apiUrl}${WEB_BASE}`,
      endpoint: emulator.endpoint,
      emulator: emulator.description,
      resources,
      plugins,
      renditions: { url: apiUrl, signingSecret },
      s3Gateway: gateway?.url,
      settings: functionSettings(),
      inference,
      visionFunction: vision?.name,
      apiClientsParameter: apiClients,
      backfillStateMachineArn: backfill.stateMachineArn,
      services: { stepFunctions: backfill.url, lambda: vision?.service.url },
      auth: served.info,
      processing,
      stats: () => pollerStats(pollers),
      stop: () => {
        stopping ??= (async () => {
          for (const schedule of schedules) schedule.stop();
          await Promise.all(Object.values(pollers).map(({ poller }) => poller.stop()));
          await closeServer(server);
          gateway?.stop();
          await Promise.all(services.map((service) => service.stop()));
          await emulator.stop();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeServer(server);
    gateway?.stop();
    await Promise.all(services.map((service) => service.stop()));
    throw error;
  }
}

/** The version in package.json, which each snapshot records. */
function runnerVersion(projectDir: string): string {
  const { version } = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { version?: string };
  return version ?? 'unknown';
}
