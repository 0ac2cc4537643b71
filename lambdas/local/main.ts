import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { INGEST_QUEUE } from '../ingest/functions/processor/contract';
import { RUNNER_PLUGINS } from '../manifest/runner-plugins';
import { SEARCH_TABLE } from '../search/postings-design';
import type { RunnerPlugin } from '../settings/runner-plugins';
import { RESULTS_TABLE } from '../store/table-design';
import { accessLines, libraryLine, publicLine } from './banner-lines';
import { EmulatorUnavailableError, LibraryFolderError } from './emulator';
import { LOCAL_AUTH_MODES, type LocalAuthMode, type LocalAuthOptions } from './local-auth';
import type { LocalQueue, PipelineResources } from './resources';
import { type LocalInference, type RunningPipeline, startPipeline } from './runner';
import { keptApiKey } from './runner-secrets';
import { authProblem, type ServeAddress, serveAddress } from './serve-address';
import { startErrorMessage } from './start-errors';

const integer = (min: number) => (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return parsed;
};

/** `-c key=value`, collected into one object. */
function contextPair(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [match[1] as string]: match[2] as string };
}

/** `offline` or `none`; `onnx`, the old name of `offline`, still works and says so. */
function inferenceMode(value: string): LocalInference {
  if (value === 'onnx') {
    process.stderr.write('--inference onnx is deprecated: use --inference offline (same behaviour)\n');
    return 'offline';
  }
  if (value !== 'offline' && value !== 'none') throw new InvalidArgumentError('expected offline or none');
  return value;
}

/**
 * `--api-key` alone means apikey (with its key, or a random one); `--auth apikey` alone, a random key. With a data
 * folder, the random key and jwt's signing keys are the folder's (runner-secrets.ts), so callers keep theirs.
 */
function authOptions(
  mode: LocalAuthMode | undefined,
  apiKey: string | true | undefined,
  dataDir: string | undefined,
): LocalAuthOptions {
  const resolved = mode ?? (apiKey === undefined ? 'none' : 'apikey');
  if (resolved === 'jwt') return { mode: 'jwt', keysDir: dataDir };
  if (resolved !== 'apikey') return { mode: resolved };
  return { mode: 'apikey', key: typeof apiKey === 'string' ? apiKey : keptApiKey(dataDir) };
}

/**
 * Where the library is kept: `--data-dir`, else `.local/library` in the project (beside the moto virtualenv,
 * ignored by git, one library per checkout so two checkouts never share one); none with `--in-memory`, or with
 * AWS_ENDPOINT_URL, whose emulator keeps (or loses) it.
 */
function libraryFolder(
  flags: { dataDir?: string; inMemory?: boolean },
  projectDir: string,
  refuse: (message: string) => never,
): string | undefined {
  if (flags.inMemory && flags.dataDir) refuse('error: --in-memory and --data-dir disagree: give one');
  if (flags.inMemory) return undefined;
  if (flags.dataDir) return path.resolve(flags.dataDir);
  return process.env.AWS_ENDPOINT_URL ? undefined : path.join(projectDir, '.local', 'library');
}

/** The folder with package.json above this file, whether it runs from lambdas/ (tsx) or dist/ (built). */
function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** `npm start`: the whole pipeline on this machine until Ctrl-C. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('npm start --')
    .description('Run the image pipeline locally: moto (or AWS_ENDPOINT_URL), the API on localhost, the processor.')
    .addOption(new Option('--port <n>', 'API port (0: any free port)').env('PORT').default(3000).argParser(integer(0)))
    .addOption(
      new Option(
        '--inference <mode>',
        'offline models (the vision function, invoked through a local Lambda API), or none (onnx: old name of offline)',
      )
        .default('offline')
        .argParser(inferenceMode),
    )
    .addOption(
      new Option(
        '--auth <mode>',
        'none: open (default); apikey: x-api-key (default with --api-key); jwt: Authorization: Bearer, tokens ' +
          'from the runner (npx image-intel token)',
      ).choices(LOCAL_AUTH_MODES),
    )
    .option('--api-key [key]', 'require x-api-key on every route (a random key if none is given); means --auth apikey')
    .option('--prefix <name>', 'name prefix of every resource', 'image-intel-local')
    .addOption(
      new Option(
        '--concurrency <n>',
        "SQS batches processed at once (default: the stack's, at most the cores)",
      ).argParser(integer(1)),
    )
    .addOption(
      new Option('-c, --context <key=value>', 'a deployment setting over cdk.json, as with cdk deploy (repeatable)')
        .argParser(contextPair)
        .default({}),
    )
    .addOption(
      new Option('--retry-delay <s>', 'seconds before a failed message is retried').default(2).argParser(integer(0)),
    )
    .addOption(
      new Option(
        '--visibility-timeout <s>',
        "ingest queue visibility timeout (default the stack's: 6 x the processor timeout + the batching window)",
      ).argParser(integer(1)),
    )
    .addOption(
      new Option(
        '--api-timeout <s>',
        "seconds an API route's function may take before it is answered 502 (default 29, API Gateway's limit)",
      ).argParser(integer(1)),
    )
    .option(
      '--host <address>',
      'serve the API and web app on this address (0.0.0.0: every interface), their URLs naming it; not with ' +
        '--auth none (default: 127.0.0.1, this machine only)',
    )
    .option(
      '--data-dir <dir>',
      'keep the library (images, records, albums, people, shares, webhooks, settings, signing keys) in this folder ' +
        'across restarts (default: .local/library in the project)',
    )
    .option('--in-memory', 'keep nothing: the library is lost when the runner stops (tests, demos)')
    .option('--ready-file <path>', 'write the endpoints as JSON to this file once ready (for scripts and tests)')
    .option('--no-processor', 'leave the ingest queue unread: uploads stay PENDING, as with the processor stopped')
    .option('--verbose', 'print the stack of an error that stops the runner')
    .option(
      '--record-calls <file>',
      'append every AWS call each function makes to this file, one JSON line per distinct call (the permissions check in the e2e and resilience suites reads it)',
    );
  // Each room's option (lambdas/manifest/runner-plugins.ts).
  const pluginFlags = RUNNER_PLUGINS.flatMap(({ option, ...plugin }) =>
    option
      ? [
          {
            plugin: { option, ...plugin },
            option: new Option(option.flags, option.description),
            ...(option.deprecatedFlags && { deprecated: new Option(option.deprecatedFlags).hideHelp() }),
          },
        ]
      : [],
  );
  for (const { option, deprecated } of pluginFlags) {
    program.addOption(option);
    if (deprecated) program.addOption(deprecated);
  }
  program.parse(argv, { from: 'user' });
  const given = pluginValues(pluginFlags, program.opts(), (message) => program.error(`error: ${message}`));
  const flags = program.opts<{
    port: number;
    inference: LocalInference;
    auth?: LocalAuthMode;
    apiKey?: string | true;
    prefix: string;
    concurrency?: number;
    context: Record<string, string>;
    retryDelay: number;
    visibilityTimeout?: number;
    readyFile?: string;
    host?: string;
    dataDir?: string;
    inMemory?: boolean;
    processor: boolean;
    recordCalls?: string;
    apiTimeout?: number;
    verbose?: boolean;
  }>();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (flags.apiKey !== undefined && flags.auth !== undefined && flags.auth !== 'apikey') {
    program.error(`error: --api-key needs --auth apikey, not --auth ${flags.auth}`);
  }
  // The handlers read callers where the runner's auth puts them, so it is the one setting -c may not change.
  if ('auth' in flags.context) program.error('error: the runner takes --auth, not -c auth');
  const address = ((): ServeAddress => {
    try {
      return serveAddress(flags.host);
    } catch (error) {
      return program.error(`error: ${(error as Error).message}`);
    }
  })();
  const exposed = authProblem(address, flags.auth ?? (flags.apiKey === undefined ? 'none' : 'apikey'));
  if (exposed) program.error(`error: ${exposed}`);
  const projectDir = projectRoot(__dirname);
  const dataDir = libraryFolder(flags, projectDir, (message) => program.error(message));
  const auth = ((): LocalAuthOptions => {
    try {
      return authOptions(flags.auth, flags.apiKey, dataDir);
    } catch (error) {
      return program.error(`error: ${(error as Error).message}`);
    }
  })();

  let pipeline: RunningPipeline;
  try {
    pipeline = await startPipeline({
      port: flags.port,
      address,
      inference: flags.inference,
      auth,
      prefix: flags.prefix,
      endpoint: process.env.AWS_ENDPOINT_URL,
      concurrency: flags.concurrency,
      context: { ...flags.context, ...pluginContext(given) },
      retryDelaySeconds: flags.retryDelay,
      visibilityTimeoutSeconds: flags.visibilityTimeout,
      processor: flags.processor,
      recordCalls: flags.recordCalls,
      apiTimeoutSeconds: flags.apiTimeout,
      pluginOptions: pluginOptions(given),
      projectDir,
      dataDir,
      log,
    });
  } catch (error) {
    const verbose = flags.verbose === true;
    log(
      error instanceof EmulatorUnavailableError || error instanceof LibraryFolderError
        ? error.message
        : startErrorMessage(error, { port: flags.port, verbose }),
    );
    process.exit(1);
  }

  const { resources: r, processing: p } = pipeline;
  const summary = {
    apiUrl: pipeline.apiUrl,
    webUrl: pipeline.webUrl,
    apiKey: pipeline.auth.mode === 'apikey' ? pipeline.auth.apiKey : undefined,
    auth: pipeline.auth,
    endpoint: pipeline.endpoint,
    processing: p,
    inference: pipeline.inference,
    visionFunction: pipeline.visionFunction,
    apiClientsParameter: pipeline.apiClientsParameter,
    backfillStateMachineArn: pipeline.backfillStateMachineArn,
    services: pipeline.services,
    settings: pipeline.settings,
    renditionsUrl: pipeline.renditions.url,
    signingSecretArn: pipeline.renditions.signingSecret.arn,
    s3Gateway: pipeline.s3Gateway ?? null,
    dataDir: dataDir ?? null,
    ...r,
    // The names the tests and benchmarks of every commit read.
    ...legacyNames(r),
    ...pipeline.plugins.ready,
  };
  if (flags.readyFile) {
    // Whole or not at all: whoever waits for the file may read it the moment it appears.
    writeFileSync(`${flags.readyFile}.partial`, JSON.stringify(summary, null, 2));
    renameSync(`${flags.readyFile}.partial`, flags.readyFile);
  }
  const access = accessLines(pipeline.auth, pipeline.apiUrl);
  log(
    [
      'image-intel local pipeline is running',
      `  AWS endpoint  ${pipeline.emulator}`,
      libraryLine(dataDir),
      `  API           ${pipeline.apiUrl}   ${access.summary}`,
      `  web app       ${pipeline.webUrl}`,
      `  renditions    ${pipeline.renditions.url}/<imageId>?<spec>&exp&kid&sig   signed by the API ` +
        `(key: secret ${pipeline.renditions.signingSecret.name})`,
      ...publicLine(pipeline.settings.renditionPresets, pipeline.renditions.url),
      ...(pipeline.s3Gateway
        ? [`  S3 URLs       ${pipeline.s3Gateway}/...   presigned by this runner only (else 403)`]
        : []),
      `  bucket        ${r.bucket}`,
      `  tables        ${Object.values(r.tables).join(', ')}`,
      ...pipeline.plugins.banner,
      ...Object.values(r.queues).map((queue) => `  queue         ${queue.url}  (DLQ ${queue.dlqUrl})`),
      ...RUNNER_PLUGINS.flatMap((plugin) => plugin.banner?.(pipeline.settings) ?? []),
      `  event bus     ${r.eventBus}  (archive ${r.archive})`,
      `  subscriber    ${r.subscriberQueueUrl}  (rule ${r.subscriberRule}: every pipeline event)`,
      `  inference     ${
        pipeline.visionFunction
          ? `offline models: function ${pipeline.visionFunction}, invoked by the processor through a local Lambda API`
          : 'none'
      }`,
      flags.processor
        ? `  processor     batches of up to ${p.batchSize}, window ${p.batchWindowSeconds} s, ` +
          `${p.imagesInFlight} images at once each, ${p.concurrency} batches at once`
        : '  processor     off (--no-processor): uploads stay PENDING, their messages waiting in the ingest queue',
      '',
      'Try:',
      ...access.examples.map((line) => `  ${line}`),
      ...RUNNER_PLUGINS.flatMap((plugin) => plugin.examples?.(pipeline.settings, pipeline.apiUrl) ?? []).map(
        (line) => `  ${line}`,
      ),
      // The emulator takes any credentials, but the aws CLI wants some, and a region, before it sends anything.
      `  AWS_DEFAULT_REGION=${process.env.AWS_REGION} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \\`,
      `    aws --endpoint-url ${pipeline.endpoint} sqs receive-message --queue-url ${r.subscriberQueueUrl}`,
      'Ctrl-C stops everything.',
    ].join('\n'),
  );

  const shutdown = (signal: string) => {
    log(`\n${signal}: stopping...`);
    pipeline.stop().then(
      () => process.exit(0),
      (error: Error) => {
        log(`stopping failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: Error) => {
  const verbose = process.argv.includes('--verbose');
  process.stderr.write(`${startErrorMessage(error, { port: Number(process.env.PORT ?? 3000), verbose })}\n`);
  process.exit(1);
});

/** The ready file's names from before the resources were declared (`table`, `queueUrl`...), which tools still read. */
function legacyNames(r: PipelineResources) {
  const ingest = r.queues[INGEST_QUEUE.name] as LocalQueue;
  return {
    table: r.tables[RESULTS_TABLE.name] as string,
    searchTable: r.tables[SEARCH_TABLE.name] as string,
    queueUrl: ingest.url,
    queueArn: ingest.arn,
    dlqUrl: ingest.dlqUrl,
  };
}

/** Each plug-in's option as commander read it, by the plug-in's name. */
function pluginValues(
  flags: readonly { plugin: RunnerPlugin; option: Option; deprecated?: Option }[],
  opts: Record<string, unknown>,
  refuse: (message: string) => never,
): Record<string, string | true> {
  const given: Record<string, string | true> = {};
  const read = (option: Option) => {
    const value = opts[option.attributeName()];
    return typeof value === 'string' || value === true ? value : undefined;
  };
  for (const { plugin, option, deprecated } of flags) {
    const value = read(option);
    // The old flag: the same value under its new one, said once; a different one is refused, naming both.
    const old = deprecated && read(deprecated);
    if (deprecated && old !== undefined) {
      const [was, is] = [deprecated.long, option.long];
      process.stderr.write(`${was} is deprecated: use ${is} (same behaviour)\n`);
      if (value !== undefined && value !== old) refuse(`${was} ${old} and ${is} ${value} disagree: give ${is} alone`);
    }
    const chosen = value ?? old;
    if (chosen !== undefined) given[plugin.name] = chosen;
  }
  return given;
}

/** The options' values, for the plug-ins that take one. */
function pluginOptions(given: Record<string, string | true>): Record<string, string> {
  return Object.fromEntries(Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== true));
}

/** The settings the given options stand for. */
function pluginContext(given: Record<string, string | true>): Record<string, string> {
  return Object.assign(
    {},
    ...RUNNER_PLUGINS.filter((plugin) => plugin.name in given).map((plugin) => plugin.option?.context ?? {}),
  );
}
