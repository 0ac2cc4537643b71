import { z } from 'zod';
import { ApiClientNameSchema } from '../api/caller';
import { FILTERS, OUTPUT_FORMATS } from '../core/rendition';
import { processingProblems } from './processing';
import { RenditionPresetsSchema, renditionSettingsProblems, WatermarksSchema } from './renditions';

/**
 * Deployment choices, read from CDK context by `bin/app.ts` and handed to the functions as environment
 * variables. One schema, so the stack, the handlers and the local runner agree on names and defaults.
 */

/** Content types an upload may declare; each maps to the extension its S3 key gets. */
export const CONTENT_TYPE_EXTENSIONS = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/heic': 'heic',
  'image/heif': 'heif',
} as const;
export type UploadContentType = keyof typeof CONTENT_TYPE_EXTENSIONS;
export const UPLOAD_CONTENT_TYPES = Object.keys(CONTENT_TYPE_EXTENSIONS) as [UploadContentType, ...UploadContentType[]];

export const InferenceModeSchema = z.enum(['rekognition', 'offline', 'none']);
export type InferenceMode = z.infer<typeof InferenceModeSchema>;
/** Old names still accepted for a setting's value, with the name that replaced them. */
export const DEPRECATED_INFERENCE_MODES: Readonly<Record<string, InferenceMode>> = { onnx: 'offline' };
export const AuthModeSchema = z.enum(['cognito', 'apikey', 'none']);
export type AuthMode = z.infer<typeof AuthModeSchema>;
/** The steps of `listIndexMigration`; the table construct holds the indexes of each. */
export const LIST_INDEX_MIGRATION_STEPS = [1, 2, 3, 4, 5, 6, 7] as const;
export type ListIndexMigrationStep = (typeof LIST_INDEX_MIGRATION_STEPS)[number];
export const SharpPackagingSchema = z.enum(['layer', 'bundle']);
export type SharpPackaging = z.infer<typeof SharpPackagingSchema>;

/** `-c key=value` on the command line arrives as a string; cdk.json values arrive typed. Accept both. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : value,
    z.array(item),
  );
const int = () => z.coerce.number().int();
const flag = (byDefault = false) =>
  z.preprocess((value) => (typeof value === 'string' ? value === 'true' : value), z.boolean()).default(byDefault);
/** A structured value: from cdk.json it arrives typed, from `-c key='[...]'` as JSON text. */
const json = <T extends z.ZodType>(schema: T, example: string) =>
  z.preprocess((value, context) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', input: value, message: `must be JSON, such as ${example}` });
      return z.NEVER;
    }
  }, schema);

/**
 * One API client of `auth=apikey`: it gets its own API key and usage plan, and owns what it uploads (its name is
 * the owner). Limits are API Gateway's per key; over them a request is answered 429.
 */
export const ApiClientSchema = z.strictObject({
  name: ApiClientNameSchema,
  /** Steady requests per second for this client's key (API Gateway allows fractions). Default 10. */
  rateLimit: z.number().positive().max(10_000).default(10),
  /** Requests in a burst above the rate (the token bucket's size). Default 20. */
  burstLimit: z.number().int().min(1).max(5000).default(20),
  /** Requests per day (UTC) for this client's key. Default 10,000. */
  quotaPerDay: z.number().int().min(1).default(10_000),
  /** Whether this client sees and manages every owner's images. Default false. */
  admin: z.boolean().default(false),
});
export type ApiClientSettings = z.output<typeof ApiClientSchema>;

/**
 * The client a deployment gets without `apiClients`. A client of this name keeps the ids the single key of earlier
 * versions had (its key, usage plan and `ApiKeyId` output), so listing it among others keeps that key too.
 */
export const DEFAULT_API_CLIENT = 'default';

/**
 * What `API_CLIENTS` may take in a function's environment, where Lambda allows 4 KB for every variable together
 * (the rest of an API function's takes under 1 KB). Checked with 10-character key ids, the length API Gateway gives.
 */
const API_CLIENTS_ENVIRONMENT_BYTES = 3072;

/** Clients at most: each adds an API key, a usage plan and a stack output (200 outputs per stack). */
const MAX_API_CLIENTS = 50;

const apiClientsProblem = (clients: readonly ApiClientSettings[]): string | undefined => {
  // Stack output ids are the names without their hyphens (`ApiKeyIdBatchJobs`), so `a-b` and `ab` would collide.
  const seen = new Map<string, string>();
  for (const { name } of clients) {
    const other = seen.get(name.replaceAll('-', ''));
    if (other !== undefined) {
      return other === name
        ? `the name ${name} is given twice: names must be unique`
        : `${other} and ${name} differ only in hyphens (each client names a stack output, ApiKeyId<Name>)`;
    }
    seen.set(name.replaceAll('-', ''), name);
  }
  const directory = JSON.stringify(
    Object.fromEntries(clients.map((client, i) => [String(i).padStart(10, 'x'), { name: client.name, admin: false }])),
  );
  if (Buffer.byteLength(directory) > API_CLIENTS_ENVIRONMENT_BYTES) {
    return (
      `the functions would receive ${Buffer.byteLength(directory)} bytes of API clients, over the ` +
      `${API_CLIENTS_ENVIRONMENT_BYTES} their 4 KB environment can spare: fewer clients or shorter names`
    );
  }
  return undefined;
};

export const DeploymentSettingsSchema = z.object({
  /**
   * The CloudFormation stack's name, so several deployments (dev, prod) can live in one account and Region: no
   * resource has a fixed physical name. Default `ImageIntel`.
   */
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a letter, then up to 127 letters, digits or hyphens')
    .default('ImageIntel'),
  /**
   * Where labels, text, faces and moderation come from: `rekognition`, `offline` (the models shipped with the
   * project, in a container-image function) or `none`. `onnx` is the old name of `offline`. Default `rekognition`
   * (no container build needed).
   */
  inference: z
    .preprocess(
      (value) => (typeof value === 'string' && DEPRECATED_INFERENCE_MODES[value]) || value,
      InferenceModeSchema,
    )
    .default('rekognition'),
  /** How API callers authenticate. Default `cognito` (a user pool created by the stack). */
  auth: AuthModeSchema.default('cognito'),
  /** Use this existing Cognito user pool instead of creating one (with `auth=cognito`). */
  userPoolId: z.string().min(1).optional(),
  /**
   * With `auth=apikey`, the API's clients, each with its own API key, usage plan (`rateLimit`, `burstLimit`,
   * `quotaPerDay`) and `admin` flag, and the owner of what it uploads: a JSON array in cdk.json or
   * `-c apiClients='[{"name":"web","admin":true},{"name":"batch","quotaPerDay":500000}]'`. Default: one client
   * `default` (10 requests/s, bursts of 20, 10,000 a day, not admin).
   */
  apiClients: json(
    z
      .array(ApiClientSchema)
      .min(1, 'at least one client')
      .max(MAX_API_CLIENTS, `at most ${MAX_API_CLIENTS} clients`)
      .superRefine((clients, context) => {
        const problem = apiClientsProblem(clients);
        if (problem) context.addIssue({ code: 'custom', input: clients, message: problem });
      }),
    '[{"name":"web","admin":true}]',
  ).default([ApiClientSchema.parse({ name: DEFAULT_API_CLIENT })]),
  /** Longest side of each WebP thumbnail. Default 128, 512, 1024. */
  thumbnailSizes: list(int().min(16).max(4096))
    .refine((sizes) => sizes.length >= 1 && sizes.length <= 8, '1 to 8 sizes')
    .default([128, 512, 1024]),
  /** Largest upload S3 accepts, in bytes (enforced by the presigned POST policy). Default 25 MiB. */
  maxUploadBytes: int()
    .min(1)
    .max(5 * 1024 ** 3)
    .default(25 * 1024 * 1024),
  /** Content types a client may declare. Default: every type the analysis core decodes. */
  allowedTypes: list(z.enum(UPLOAD_CONTENT_TYPES))
    .refine((types) => types.length > 0, 'at least one type')
    .default([...UPLOAD_CONTENT_TYPES]),
  /** Images with more pixels than this are rejected from their header, before decoding. Default 100 MP. */
  maxPixels: int().min(1).default(100_000_000),
  /** Moderation labels at or above this confidence flag an image. Default 0.8. */
  moderationThreshold: z.coerce.number().min(0).max(1).default(0.8),
  /** Seconds a presigned upload (POST) stays usable: 1 s to 7 days (SigV4's limit). Default 900. */
  uploadUrlTtlSeconds: int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(900),
  /** Seconds a presigned download (GET) of an original or thumbnail stays usable: 1 s to 7 days. Default 300. */
  downloadUrlTtlSeconds: int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(300),
  /**
   * Named rendition specs (docs/renditions.md), each a signed URL in `GET /images/{id}` and `preset=<name>` in a
   * rendition URL; `eager` ones are made by the processor at ingest and need a fixed format. A JSON object in
   * cdk.json or `-c renditionPresets='{"thumb":{"w":200,"h":200}}'` (it replaces the defaults). Default: `card`
   * (400 × 300 WebP cover, eager: the one a listing shows for every image, so a new upload's first view is a stored
   * object; one small encode from the raster the processor already holds), `hero` (1600 px wide, best format the
   * client takes) and `avatar` (128 px square, smart gravity, so faces stay in; not eager: smart needs the vision
   * results, and few images become avatars).
   */
  renditionPresets: json(RenditionPresetsSchema, '{"thumb":{"w":200,"h":200}}').default({
    card: { w: 400, h: 300, format: 'webp', eager: true },
    hero: { w: 1600 },
    avatar: { w: 128, h: 128, gravity: 'smart' },
  }),
  /**
   * Largest side of a rendition in device pixels (w or h times dpr, or the source's when no size is given):
   * 16 to 16383 (WebP's limit). Larger is a 400 naming this setting. Default 4096.
   */
  renditionMaxSide: int().min(16).max(16_383).default(4096),
  /** Largest device pixel ratio (`dpr`) of a rendition, 1 to 3. Default 3. */
  renditionMaxDpr: z.coerce.number().min(1).max(3).default(3),
  /** Output formats a rendition may ask for; `format=auto` picks among them. Default jpeg, png, webp, avif. */
  renditionFormats: list(z.enum(OUTPUT_FORMATS))
    .refine((formats) => formats.length > 0, 'at least one format')
    .default([...OUTPUT_FORMATS]),
  /** Filters a rendition may use (blur, sharpen, grayscale, normalize, brightness...); none is fine. Default all. */
  renditionFilters: list(z.enum(FILTERS)).default([...FILTERS]),
  /**
   * Watermarks a rendition may name (`wm=<name>`): a text or a PNG/WebP image path relative to the project, as
   * JSON: `-c watermarks='{"logo":{"image":"assets/logo.png"},"credit":{"text":"© Example"}}'`. Default none.
   */
  watermarks: json(WatermarksSchema, '{"logo":{"image":"assets/logo.png"}}').default({}),
  /**
   * Seconds a signed rendition URL stays valid: 1 s to 7 days. The expiry is rounded up to a 5-minute window so
   * that everyone asking for a rendition in one window gets the same URL (one CDN cache entry). Default 3600.
   */
  renditionUrlTtlSeconds: int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(3600),
  /** Days between rotations of the rendition signing key, 1 to 365; old keys stay while URLs use them. Default 30. */
  renditionKeyRotationDays: int().min(1).max(365).default(30),
  /** The render function's memory in MB (1024-10240); CPU grows with it, and AVIF encodes want it. Default 2048. */
  renditionMemoryMb: int().min(1024).max(10_240).default(2048),
  /**
   * Where the renditions distribution serves from, and so what its traffic costs: `PriceClass_100` (North
   * America, Europe, Israel), `PriceClass_200` (also most of Asia, the Middle East and Africa) or `PriceClass_All`
   * (every edge location, South America and Oceania included). Default `PriceClass_100`.
   */
  renditionPriceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']).default('PriceClass_100'),
  /**
   * Messages the SQS event source hands the processor at once (1-10,000; over 10 needs a batching window).
   * Default 10.
   */
  processorBatchSize: int().min(1).max(10_000).default(10),
  /** Seconds Lambda may wait to fill a batch (0-300). Default 0: an upload is read as soon as it is queued. */
  processorBatchWindowSeconds: int().min(0).max(300).default(0),
  /** The processor's memory in MB (1024-10240); CPU grows with it. Default 3008. */
  processorMemoryMb: int().min(1024).max(10_240).default(3008),
  /** The processor's timeout in seconds (10-900); the ingest queue's visibility timeout is 6x this. Default 60. */
  processorTimeoutSeconds: int().min(10).max(900).default(60),
  /**
   * Processor invocations at once at most (the event source's maximum concurrency, 2-1000). Default: derived, see
   * `processorConcurrency()` (from `rekognitionTps` with `inference=rekognition`, else 200).
   */
  processorMaxConcurrency: int().min(2).max(1000).optional(),
  /**
   * Images of one batch processed at once. Default: derived from `processorMemoryMb`, `maxPixels` and
   * `maxUploadBytes` so that the largest images a batch may hold never exceed the memory (`imagesInFlight()`).
   */
  processorImagesInFlight: int().min(1).max(100).optional(),
  /**
   * Rekognition calls per second this deployment may make per API (the account's quota for DetectLabels,
   * DetectText, DetectFaces and DetectModerationLabels, the lowest of the four). Default 50.
   */
  rekognitionTps: int().min(1).max(10_000).default(50),
  /**
   * Requests per second each method of the API's stage takes from all callers together (API Gateway's stage
   * throttle); more are answered 429. Default 2000: twice the design rate of 1,000 uploads a second. Lower it for
   * a small deployment.
   */
  apiRateLimit: int().min(1).max(10_000).default(2000),
  /** Requests the stage takes in a burst above `apiRateLimit` (the token bucket's size). Default 4000. */
  apiBurstLimit: int().min(1).max(5000).default(4000),
  /** Browser origins allowed to upload and call the API (CORS). Default none: same-origin and non-browser only. */
  corsOrigins: list(z.string().min(1)).default([]),
  /**
   * Where the processor's sharp (linux-arm64) comes from: `layer`, a Lambda layer shared by its versions, or
   * `bundle`, installed into the function's own asset (for LocalStack's free image, which applies no layers).
   * Default `layer`.
   */
  sharpPackaging: SharpPackagingSchema.default('layer'),
  /**
   * A step (1 to 7) of migrating an existing table to the final indexes (docs/architecture.md): 1-4 from the
   * unsharded list indexes, 5-7 to the owners' indexes. Each step changes one index, the most one CloudFormation
   * update can. Default none: the final indexes.
   */
  listIndexMigration: z.coerce
    .number()
    .refine(
      (step): step is ListIndexMigrationStep => (LIST_INDEX_MIGRATION_STEPS as readonly number[]).includes(step),
      `must be one of ${LIST_INDEX_MIGRATION_STEPS.join(', ')} (a step of the index migration)`,
    )
    .transform((step) => step as ListIndexMigrationStep)
    .optional(),
  /**
   * Addresses the alarms (a dead letter, an upload waiting too long) notify, through an SNS topic the stack
   * creates; each confirms by a link AWS mails it. Default none: the alarms notify nobody.
   */
  alarmEmail: list(z.email()).default([]),
  /** Delete the bucket's images and the table when the stack is deleted. Default false: they are retained. */
  destroyOnRemove: flag(),
  /**
   * Deploy the web app (web/dist, built by `npm run build:web`) to a private bucket behind its own CloudFront
   * distribution, at `https://<domain>/app/`, and allow its origin on the API and the bucket (CORS). Default true.
   */
  webApp: flag(true),
  /** The web app distribution's edge locations (and price), as `renditionPriceClass`. Default `PriceClass_100`. */
  webPriceClass: z.enum(['PriceClass_100', 'PriceClass_200', 'PriceClass_All']).default('PriceClass_100'),
  /**
   * With `auth=cognito` and the pool the stack creates: the prefix of the hosted login domain the stack adds to it
   * (`https://<prefix>.auth.<region>.amazoncognito.com`), unique in the Region; lowercase letters, digits and
   * hyphens, without `aws`, `amazon` or `cognito`. Default: `image-intel-` and the stack's own id (a UUID).
   */
  webAuthDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, '1 to 63 lowercase letters, digits or inner hyphens')
    .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'Cognito refuses aws, amazon and cognito in a prefix')
    .optional(),
  /**
   * With `userPoolId` (an existing pool) and `webApp`: the pool's hosted login domain, as its base URL
   * (`https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain); the stack adds the web app's client
   * to the pool but leaves its domain to its owner. Required then; unused otherwise.
   */
  webAuthDomain: z
    .url({ protocol: /^https$/, error: 'an https URL, such as https://example.auth.eu-west-1.amazoncognito.com' })
    .transform((url) => new URL(url).origin)
    .optional(),
});

export type DeploymentSettings = z.output<typeof DeploymentSettingsSchema>;

/** Every default in one place: what a deployment with no context gets, and what the CLI and the core assume. */
export const DEFAULT_SETTINGS: DeploymentSettings = DeploymentSettingsSchema.parse({});

/** What the input says in a way that still works but should change, one sentence each (shown by `cdk synth`). */
export function deprecatedSettings(input: Record<string, unknown>): string[] {
  const inference = input.inference;
  const replacement = typeof inference === 'string' ? DEPRECATED_INFERENCE_MODES[inference] : undefined;
  return replacement ? [`inference=${inference} is deprecated: use inference=${replacement} (same behaviour)`] : [];
}

/** Parse settings from any source (CDK context, environment), naming every bad key in one error. */
export function parseDeploymentSettings(input: Record<string, unknown>): DeploymentSettings {
  const parsed = DeploymentSettingsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid deployment settings: ${describeIssues(parsed.error)}`);
  const problems = [
    ...processingProblems(parsed.data),
    ...authProblems(input, parsed.data),
    ...webAppProblems(parsed.data),
    ...renditionSettingsProblems(parsed.data),
    ...eagerSmartProblems(parsed.data),
  ];
  if (problems.length > 0) throw new Error(`invalid deployment settings: ${problems.join('; ')}`);
  return parsed.data;
}

/**
 * An eager preset is made at ingest, before vision has found the faces and objects `gravity: smart` frames: made
 * then, it would be cut by sharp's attention strategy alone, and stored where the render function would serve it
 * instead of the face-aware cut it documents.
 */
function eagerSmartProblems(settings: DeploymentSettings): string[] {
  return Object.entries(settings.renditionPresets)
    .filter(([, preset]) => preset.eager && preset.gravity === 'smart')
    .map(
      ([name]) =>
        `renditionPresets.${name}: an eager preset cannot use gravity smart (it is made at ingest, before vision ` +
        'finds the faces and objects smart gravity frames): drop eager, or give a compass gravity such as center',
    );
}

/**
 * Settings given for an auth mode other than the one chosen. A failure rather than a warning: `apiClients` without
 * `auth=apikey` is most likely a forgotten `-c auth=apikey`, and deploying that over an API-key stack would switch
 * the API to Cognito and delete every client's key.
 */
function authProblems(input: Record<string, unknown>, settings: DeploymentSettings): string[] {
  if (input.apiClients === undefined || settings.auth === 'apikey') return [];
  return [`apiClients: only used with auth=apikey (auth is ${settings.auth}): add -c auth=apikey or leave it out`];
}

/**
 * The web app's hosted login: the stack adds a domain to a pool it creates, but an existing pool's domain is its
 * owner's, so it must be named; the domain settings are refused where nothing would read them.
 */
function webAppProblems(settings: DeploymentSettings): string[] {
  const existingPool = settings.auth === 'cognito' && settings.userPoolId !== undefined;
  const problems: string[] = [];
  if (settings.webApp && existingPool && settings.webAuthDomain === undefined) {
    problems.push(
      'webAuthDomain: the web app signs in through the hosted login of the existing pool (userPoolId): give its ' +
        'domain, -c webAuthDomain=https://<prefix>.auth.<region>.amazoncognito.com, or leave the app out with ' +
        '-c webApp=false',
    );
  }
  if (settings.webAuthDomain !== undefined && !(settings.webApp && existingPool)) {
    problems.push('webAuthDomain: only used with webApp, auth=cognito and userPoolId (an existing pool)');
  }
  if (
    settings.webAuthDomainPrefix !== undefined &&
    !(settings.webApp && settings.auth === 'cognito' && !existingPool)
  ) {
    problems.push(
      'webAuthDomainPrefix: only used with webApp and auth=cognito on the pool the stack creates (without userPoolId)',
    );
  }
  return problems;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
