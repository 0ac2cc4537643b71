import { z } from 'zod';
import { type DeploymentSettings, DeploymentSettingsSchema } from '../settings';
import { type ApiClientDirectory, ApiClientDirectorySchema } from '../settings/api';
import { PowertoolsEnvSchema } from '../shared/powertools';
import type { CallerSource } from './caller';

/** A function's environment as CloudFormation and the local runner set it: every value a string. */
export type FunctionEnvironment = Record<string, string>;

/** A deployment setting as an environment variable: its own parser, without its default (the stack passes it). */
export const setting = <K extends keyof SettingsShape>(key: K) =>
  (
    DeploymentSettingsSchema.shape[key] as z.ZodDefault<z.ZodType>
  ).unwrap() as unknown as SettingsShape[K] extends z.ZodDefault<infer T> ? T : never;
type SettingsShape = typeof DeploymentSettingsSchema.shape;

/** `API_CLIENTS`: JSON, API key id to client; a value that is not is a start-up failure naming the variable. */
const ApiClientsVariable = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON: {"<api key id>": {"name", "admin"}}' });
      return z.NEVER;
    }
  })
  .pipe(ApiClientDirectorySchema);

/**
 * What every API function reads. Lists use the deployment settings' own parsers, so the stack and the functions
 * agree on what `a,b` means.
 */
export const ApiEnvSchema = PowertoolsEnvSchema.extend({
  TABLE_NAME: z.string().min(1),
  /** Comma-separated; empty means no browser origin gets CORS headers. */
  CORS_ORIGINS: setting('corsOrigins'),
  /** How API Gateway authenticated the caller, so the function knows where to read who it is. */
  AUTH_MODE: setting('auth'),
  /** With `auth=apikey`: which client each API key id belongs to (`{}` otherwise). */
  API_CLIENTS: ApiClientsVariable,
});
export type ApiEnv = z.output<typeof ApiEnvSchema>;

/** The resources and settings every API function is wired with. */
export interface ApiWiring {
  readonly tableName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth'>;
  /**
   * With `auth=apikey`, each API key's id (not its value) to its client. In the stack the ids are tokens, so the
   * caller renders the JSON (`Stack.toJsonString`) and passes it as `apiClientsJson`.
   */
  readonly apiClients?: ApiClientDirectory;
  /** `API_CLIENTS` already rendered, for values only CloudFormation knows. Wins over `apiClients`. */
  readonly apiClientsJson?: string;
}

export function apiEnvironment(wiring: ApiWiring): FunctionEnvironment {
  return {
    TABLE_NAME: wiring.tableName,
    CORS_ORIGINS: wiring.settings.corsOrigins.join(','),
    AUTH_MODE: wiring.settings.auth,
    API_CLIENTS: wiring.apiClientsJson ?? JSON.stringify(wiring.apiClients ?? {}),
  };
}

/** Where a function reads its callers from, out of its parsed environment. */
export function callerSource(config: ApiEnv): CallerSource {
  return { mode: config.AUTH_MODE, clients: config.API_CLIENTS };
}
