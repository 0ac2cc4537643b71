import type { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment, type FunctionEnvironment } from '../../shared/api-env';

/** `GET /images`: every variable it reads. */
export const ListImagesEnvSchema = ApiEnvSchema;
export type ListImagesEnv = z.output<typeof ListImagesEnvSchema>;

export type ListImagesWiring = ApiWiring;

/** The environment the stack and the local runner give this function. */
export function environmentFor(wiring: ListImagesWiring): FunctionEnvironment {
  return apiEnvironment(wiring);
}
