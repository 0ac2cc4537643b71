import type { z } from 'zod';
import { DeploymentSettingsSchema } from './index';
import { describeIssues } from './values';

/*
 * Lambda gives a function 4 KB for all its environment variables together, measured as the variables' JSON. A
 * variable that holds a deployment setting of unbounded size does not ride there: the stack compiles it into the
 * function's code at synth (`NodeFunction`, esbuild's `define`), and `parseEnv` reads it from there as if it were
 * in the environment. The local runner and the tests, which run the code unbundled, set it as a variable.
 */

/** Variables the stack compiles into a function's code instead of its environment: synth-time values only. */
export const COMPILED_VARIABLES = ['RENDITION_SETTINGS'] as const;

/** The identifier esbuild replaces with the compiled variables' JSON; undeclared (so `typeof` is 'undefined') elsewhere. */
export const COMPILED_ENVIRONMENT_GLOBAL = 'IMAGE_INTEL_COMPILED_ENVIRONMENT';
declare const IMAGE_INTEL_COMPILED_ENVIRONMENT: string | undefined;

/** The variables the stack compiled into this bundle; none when the code runs unbundled. */
export function compiledEnvironment(): Record<string, string> {
  return typeof IMAGE_INTEL_COMPILED_ENVIRONMENT === 'string'
    ? (JSON.parse(IMAGE_INTEL_COMPILED_ENVIRONMENT) as Record<string, string>)
    : {};
}

/**
 * Parse a function's environment once, at load, with the variables compiled into its code: a missing or malformed
 * variable fails the cold start with its name in the message instead of surfacing later as `undefined`.
 */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, functionName: string): z.output<T> {
  const parsed = schema.safeParse({ ...compiledEnvironment(), ...env });
  if (!parsed.success) throw new Error(`invalid environment for ${functionName}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** A function's environment as CloudFormation and the local runner set it: every value a string. */
export type FunctionEnvironment = Record<string, string>;

/** A deployment setting as an environment variable: its own parser, without its default (the stack passes it). */
export const setting = <K extends keyof SettingsShape>(key: K) =>
  (
    DeploymentSettingsSchema.shape[key] as z.ZodDefault<z.ZodType>
  ).unwrap() as unknown as SettingsShape[K] extends z.ZodDefault<infer T> ? T : never;
type SettingsShape = typeof DeploymentSettingsSchema.shape;
