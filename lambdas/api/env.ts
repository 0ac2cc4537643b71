import { z } from 'zod';
import type { DeploymentSettings } from '../settings';
import { type FunctionEnvironment, setting } from '../settings/env';
import { PowertoolsEnvSchema } from '../shared/contract';

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
