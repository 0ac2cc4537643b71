import { z } from 'zod';
import { int, json, list } from './values';

export const AuthModeSchema = z.enum(['cognito', 'apikey', 'none']);
export type AuthMode = z.infer<typeof AuthModeSchema>;

/** An API client's name (`apiClients` setting): it is the owner of what the client uploads. */
export const ApiClientNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'must be a lowercase letter, then up to 62 lowercase letters, digits or hyphens');

/** What a function knows of each API key (the clients' SSM parameter): the key's id (not its value) to its client. */
export const ApiClientDirectorySchema = z.record(
  z.string().min(1),
  z.object({ name: ApiClientNameSchema, admin: z.boolean() }),
);
export type ApiClientDirectory = z.infer<typeof ApiClientDirectorySchema>;

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
 * What the clients' directory may take: it is a standard SSM parameter (lib/constructs/api-auth.ts), which holds
 * 4 KB. Checked with 10-character key ids, the length API Gateway gives.
 */
const API_CLIENTS_PARAMETER_BYTES = 4096;

/**
 * Origins at most, each at most a host name's 253 characters with its scheme and port, and at most MAX_CORS_CHARS
 * together: they ride in every API function's environment (`CORS_ORIGINS`), which the stack's largest configuration
 * must keep within 4 KB. The sum, not ten of the longest (2.7 KB): a share link's route, which reads the most
 * resources, went over 4 KB with those (issue 61); ten origins of 180 characters still fit.
 */
const MAX_CORS_ORIGINS = 10;
const MAX_ORIGIN_CHARS = 'https://'.length + 253 + ':65535'.length;
const MAX_CORS_CHARS = 2000;

/**
 * Clients at most: each adds an API key, a usage plan and its key's link to it (three resources of the root stack,
 * which keeps them under the ids callers' keys were made with) and a stack output (200 outputs per stack). With 50
 * and every optional feature the root stack holds 387 resources (test/infra/stack-size.test.ts keeps it at 400).
 */
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
  if (Buffer.byteLength(directory) > API_CLIENTS_PARAMETER_BYTES) {
    return (
      `the API clients' directory would take ${Buffer.byteLength(directory)} bytes, over the ` +
      `${API_CLIENTS_PARAMETER_BYTES} of the SSM parameter that holds it: fewer clients or shorter names`
    );
  }
  return undefined;
};

/** Who may call the API, and how much. */
export const ApiSettingsSchema = z.object({
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
  /**
   * Requests per second each method of the API's stage takes from all callers together (API Gateway's stage
   * throttle); more are answered 429. Default 2000: twice the design rate of 1,000 uploads a second. Lower it for
   * a small deployment.
   */
  apiRateLimit: int().min(1).max(10_000).default(2000),
  /** Requests the stage takes in a burst above `apiRateLimit` (the token bucket's size). Default 4000. */
  apiBurstLimit: int().min(1).max(5000).default(4000),
  /**
   * With `auth=apikey`, the steady rate at which each admin client may start backfills (`POST /backfills`, a method
   * throttle in its usage plan), in requests per second; fractions allowed. Default 0.1: one every 10 seconds. A
   * regroup re-analyses the whole library, so its requests are held far below the client's other calls.
   */
  adminBackfillRateLimit: z.coerce.number().positive().max(10_000).default(0.1),
  /** With `auth=apikey`, backfills an admin client may start in a burst above `adminBackfillRateLimit`. Default 2. */
  adminBackfillBurstLimit: int().min(1).max(5000).default(2),
  /** Browser origins allowed to upload and call the API (CORS). Default none: same-origin and non-browser only. */
  corsOrigins: list(
    z
      .string()
      .max(MAX_ORIGIN_CHARS)
      .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin: http(s)://host[:port], no path'),
  )
    .refine((origins) => origins.length <= MAX_CORS_ORIGINS, `at most ${MAX_CORS_ORIGINS} origins`)
    .refine(
      (origins) => origins.join(',').length <= MAX_CORS_CHARS,
      `at most ${MAX_CORS_CHARS} characters together (commas included)`,
    )
    .default([]),
});
export type ApiSettings = z.output<typeof ApiSettingsSchema>;

/**
 * Settings given for an auth mode other than the one chosen. A failure rather than a warning: `apiClients` without
 * `auth=apikey` is most likely a forgotten `-c auth=apikey`, and deploying that over an API-key stack would switch
 * the API to Cognito and delete every client's key.
 */
export function authProblems(input: Record<string, unknown>, settings: Pick<ApiSettings, 'auth'>): string[] {
  if (input.apiClients === undefined || settings.auth === 'apikey') return [];
  return [`apiClients: only used with auth=apikey (auth is ${settings.auth}): add -c auth=apikey or leave it out`];
}

/** Members of this Cognito group see and manage every owner's images. */
export const ADMIN_GROUP = 'admins';
