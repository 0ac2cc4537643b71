import { type DeploymentSettings, parseDeploymentSettings } from '../../settings';

/** Where docker-compose.localstack.yml publishes LocalStack's gateway. */
export const LOCALSTACK_ENDPOINT = 'http://localhost:4566';

/** LocalStack's fixed account id. */
export const LOCALSTACK_ACCOUNT = '000000000000';

/**
 * What the free image can deploy and run: an API key instead of Cognito, no vision backend, no web app (its
 * hosting needs CloudFront and the AWS CLI layer of CDK's BucketDeployment, neither in the free image; `npm start`
 * serves the app instead) and no WAF web ACL.
 */
export const FREE_TIER_CONTEXT: Readonly<Record<string, string>> = {
  auth: 'apikey',
  inference: 'none',
  webApp: 'false',
  waf: 'false',
};

/**
 * Added without an auth token: the free image creates Lambda layers but does not apply them, so the processor
 * carries sharp in its own asset instead of taking the sharp layer.
 */
export const NO_LAYERS_CONTEXT: Readonly<Record<string, string>> = { sharpPackaging: 'bundle' };

/** LocalStack services the stack and `cdk bootstrap` use (docker-compose.localstack.yml's SERVICES). */
export const REQUIRED_SERVICES = [
  'cloudformation',
  'ssm',
  'sts',
  'iam',
  's3',
  'sqs',
  'dynamodb',
  'events',
  'lambda',
  'apigateway',
  'logs',
  'cloudwatch',
  'kms',
] as const;

export class LocalDeployError extends Error {
  override readonly name = 'LocalDeployError';
}

/** One process to run: a binary from node_modules/.bin and its arguments. */
export interface PlannedCommand {
  bin: string;
  args: string[];
}

export interface DeployPlan {
  /** The context handed to the app: the free-tier defaults overlaid with the caller's `-c key=value`. */
  context: Record<string, string>;
  settings: DeploymentSettings;
  commands: PlannedCommand[];
  /** Warnings to print before deploying: what these settings will not do on this LocalStack. */
  notes: string[];
}

/** `key=value` pairs from the command line, as `cdk -c` takes them. */
export function parseContextPairs(pairs: readonly string[]): Record<string, string> {
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new LocalDeployError(`-c expects key=value, got "${pair}"`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

/**
 * The features of these settings that LocalStack's free image lacks, each with the reason. Rekognition is listed
 * although the stack deploys with it: LocalStack emulates no Rekognition in any tier, so the processor's calls fail.
 */
export function paidFeatures(settings: DeploymentSettings): string[] {
  const features: string[] = [];
  if (settings.auth === 'cognito') features.push('auth=cognito: Cognito user pools are a paid LocalStack feature');
  if (settings.inference === 'offline') {
    features.push('inference=offline: container-image Lambdas (ECR) are a paid LocalStack feature');
  }
  if (settings.inference === 'rekognition') {
    features.push('inference=rekognition: LocalStack does not emulate Rekognition');
  }
  if (settings.waf) features.push('waf: WAF web ACLs are a paid LocalStack feature');
  return features;
}

/** What deploys but will not work on the free image (no auth token): a sharp layer is created and never applied. */
export function freeTierNotes(settings: DeploymentSettings, authToken?: string): string[] {
  if (authToken || settings.sharpPackaging !== 'layer') return [];
  return [
    'Note: with sharpPackaging=layer the free LocalStack image creates the sharp layer but does not apply it: the\n' +
      'processor cannot load sharp and no upload is analysed (the API, bucket, queue, table and bus work). Leave\n' +
      `out -c sharpPackaging=layer to deploy with ${contextFlags(NO_LAYERS_CONTEXT)} (sharp in the processor's asset).`,
  ];
}

function contextFlags(context: Readonly<Record<string, string>>): string {
  return Object.entries(context)
    .map(([key, value]) => `-c ${key}=${value}`)
    .join(' ');
}

/**
 * What `npm run deploy:local` runs: bootstrap LocalStack's account, then deploy with the free-tier context
 * (and, without an auth token, sharp bundled into the processor rather than in a layer) overlaid by the caller's,
 * writing the stack outputs to `outputsFile`.
 *
 * 1. Parse the context with the stack's own settings schema, so a bad value fails here and not mid-synth.
 * 2. Refuse what the free image cannot run unless an auth token says the paid image is in use.
 * 3. `cdklocal bootstrap aws://000000000000/<region>` (an explicit environment: no synth needed), then
 *    `cdklocal deploy` without prompts.
 */
export function planDeploy(options: {
  context: Record<string, string>;
  outputsFile: string;
  region: string;
  authToken?: string;
}): DeployPlan {
  const context = { ...FREE_TIER_CONTEXT, ...(options.authToken ? {} : NO_LAYERS_CONTEXT), ...options.context };
  let settings: DeploymentSettings;
  try {
    settings = parseDeploymentSettings(context);
  } catch (error) {
    throw new LocalDeployError((error as Error).message);
  }
  const paid = paidFeatures(settings);
  if (paid.length > 0 && !options.authToken) {
    throw new LocalDeployError(
      [
        'This context needs more than the free LocalStack image (localstack/localstack:4.14.0) offers:',
        ...paid.map((feature) => `  - ${feature}`),
        `Deploy with ${contextFlags(FREE_TIER_CONTEXT)} (or -c auth=none), or set LOCALSTACK_AUTH_TOKEN and run ` +
          'a newer LocalStack image.',
      ].join('\n'),
    );
  }
  const contextArgs = Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  return {
    context,
    settings,
    commands: [
      { bin: 'cdklocal', args: ['bootstrap', `aws://${LOCALSTACK_ACCOUNT}/${options.region}`] },
      {
        bin: 'cdklocal',
        // --all: the app has the web ACL's stack beside the pipeline's, empty with waf=false.
        args: ['deploy', '--all', '--require-approval', 'never', ...contextArgs, '--outputs-file', options.outputsFile],
      },
    ],
    notes: freeTierNotes(settings, options.authToken),
  };
}

/**
 * The environment for cdklocal. It points the CDK at LocalStack itself (localhost.localstack.cloud:4566) and
 * strips AWS_* variables so a profile can never reach real AWS; it refuses an AWS_ENDPOINT_URL without
 * AWS_ENDPOINT_URL_S3, so one left over from `npm start` is dropped here. The region is allow-listed so the
 * stack lands where the outputs are read.
 */
export function cdklocalEnvironment(env: NodeJS.ProcessEnv, region: string): NodeJS.ProcessEnv {
  const { AWS_ENDPOINT_URL: _endpoint, AWS_ENDPOINT_URL_S3: _s3, ...rest } = env;
  const allowList = new Set(
    (env.AWS_ENVAR_ALLOWLIST ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  allowList.add('AWS_REGION');
  allowList.add('AWS_DEFAULT_REGION');
  return {
    ...rest,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENVAR_ALLOWLIST: [...allowList].join(','),
  };
}

/** The region to deploy to: the caller's, else LocalStack's default. */
export function regionOf(env: NodeJS.ProcessEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/** Services the deployment needs that LocalStack's health report does not show as available or running. */
export function unavailableServices(health: unknown, required: readonly string[] = REQUIRED_SERVICES): string[] {
  const services = (health as { services?: Record<string, string> } | null)?.services ?? {};
  return required.filter((name) => !['available', 'running'].includes(services[name] ?? ''));
}

/** Extra services the paid features of these settings use (to add to LOCALSTACK_SERVICES). */
export function paidServices(settings: DeploymentSettings): string[] {
  return [
    ...(settings.auth === 'cognito' ? ['cognito-idp'] : []),
    ...(settings.inference === 'offline' ? ['ecr'] : []),
  ];
}
