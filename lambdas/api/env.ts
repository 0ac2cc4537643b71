import { z } from 'zod';
import type { DeploymentSettings } from '../settings';
import { type FunctionEnvironment, setting } from '../settings/env';
import { PowertoolsEnvSchema } from '../shared/powertools';
import { apiClientLookup } from './api-clients';
import type { CallerSource } from './caller';

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
  /**
   * With `auth=apikey`: the SSM parameter naming which client each API key id belongs to (api-clients.ts); empty
   * otherwise.
   */
  API_CLIENTS_PARAMETER: z.string().default(''),
});
export type ApiEnv = z.output<typeof ApiEnvSchema>;

/** The resources and settings every API function is wired with. */
export interface ApiWiring {
  readonly tableName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins' | 'auth'>;
  /** With `auth=apikey`: the SSM parameter holding the API clients' directory. @default - no API clients */
  readonly apiClientsParameter?: string;
}

export function apiEnvironment(wiring: ApiWiring): FunctionEnvironment {
  return {
    TABLE_NAME: wiring.tableName,
    CORS_ORIGINS: wiring.settings.corsOrigins.join(','),
    AUTH_MODE: wiring.settings.auth,
    API_CLIENTS_PARAMETER: wiring.apiClientsParameter ?? '',
  };
}

/** Where a function reads its callers from, out of its parsed environment: made once, at load. */
export function callerSource(config: ApiEnv): CallerSource {
  if (config.AUTH_MODE === 'apikey' && config.API_CLIENTS_PARAMETER === '') {
    throw new Error('invalid environment: API_CLIENTS_PARAMETER is required with AUTH_MODE=apikey');
  }
  return { mode: config.AUTH_MODE, clients: apiClientLookup(config.API_CLIENTS_PARAMETER) };
}
