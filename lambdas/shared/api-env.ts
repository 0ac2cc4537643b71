import { z } from 'zod';
import { PowertoolsEnvSchema } from './powertools';
import { type DeploymentSettings, DeploymentSettingsSchema } from './settings';

/** A function's environment as CloudFormation and the local runner set it: every value a string. */
export type FunctionEnvironment = Record<string, string>;

/** A deployment setting as an environment variable: its own parser, without its default (the stack passes it). */
export const setting = <K extends keyof SettingsShape>(key: K) =>
  (
    DeploymentSettingsSchema.shape[key] as z.ZodDefault<z.ZodType>
  ).unwrap() as unknown as SettingsShape[K] extends z.ZodDefault<infer T> ? T : never;
type SettingsShape = typeof DeploymentSettingsSchema.shape;

/**
 * What every API function reads. Lists use the deployment settings' own parsers, so the stack and the functions
 * agree on what `a,b` means.
 */
export const ApiEnvSchema = PowertoolsEnvSchema.extend({
  TABLE_NAME: z.string().min(1),
  /** Comma-separated; empty means no browser origin gets CORS headers. */
  CORS_ORIGINS: setting('corsOrigins'),
});

/** The resources and settings every API function is wired with. */
export interface ApiWiring {
  readonly tableName: string;
  readonly settings: Pick<DeploymentSettings, 'corsOrigins'>;
}

export function apiEnvironment(wiring: ApiWiring): FunctionEnvironment {
  return { TABLE_NAME: wiring.tableName, CORS_ORIGINS: wiring.settings.corsOrigins.join(',') };
}
