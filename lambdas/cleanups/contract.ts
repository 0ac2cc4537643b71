import type { z } from 'zod';
import { ALBUMS_CLEANUP } from '../albums/cleanup-contract';
import type { CleanupOccasion, ImageCleanupContract } from '../kit/image-cleanup';
import type { Use } from '../kit/uses';
import { PEOPLE_CLEANUP } from '../people/cleanup-contract';
import { RENDITIONS_CLEANUP } from '../renditions/cleanup-contract';
import { MEANING_CLEANUP, POSTINGS_CLEANUP } from '../search/cleanup-contract';
import type { FunctionEnvironment } from '../settings/env';

/**
 * The rooms that keep data about an image, each with what its part of a purge needs (lambdas/kit/image-cleanup.ts),
 * in the order the trash calls them. A room with per-image data adds its contract here and its runtime to open.ts,
 * in the same place; the trash (which reads only this list) changes nothing. The order matters where a room's data
 * points at another's: none does today, so it is the order the purge always had.
 */
export const CLEANUP_CONTRACTS = [
  RENDITIONS_CLEANUP,
  POSTINGS_CLEANUP,
  MEANING_CLEANUP,
  PEOPLE_CLEANUP,
  ALBUMS_CLEANUP,
] as const satisfies readonly ImageCleanupContract<never>[];

type Contract = (typeof CLEANUP_CONTRACTS)[number];
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What the stack and the runner must give a function that runs the cleanups: each room's wiring, together. */
export type CleanupWiring = Intersection<Parameters<Contract['environmentFor']>[0]>;

/** Every cleanup's variables, in one shape (each room's own, typed as it declared them). */
export type CleanupEnvShape = Intersection<Contract['envShape']>;

/** The cleanups called on this occasion: a purge calls every one; a move to the trash, those with its hooks. */
export function cleanupsFor(occasion: CleanupOccasion): readonly Contract[] {
  return CLEANUP_CONTRACTS.filter((contract) =>
    ((contract as ImageCleanupContract<never>).occasions ?? ['purge']).includes(occasion),
  );
}

/** The variables of the cleanups called on these occasions, to extend a function's environment schema with. */
export function cleanupEnvShape(...occasions: CleanupOccasion[]): CleanupEnvShape {
  return Object.assign({}, ...contractsOf(occasions).map((contract) => contract.envShape));
}

/** Each cleanup's check of its variables (a feature on without its table), for the schema's `superRefine`. */
export function checkCleanupEnv(env: unknown, context: z.RefinementCtx, ...occasions: CleanupOccasion[]): void {
  for (const contract of contractsOf(occasions)) {
    (contract as ImageCleanupContract<never>).checkEnv?.(env, context);
  }
}

/** The cleanups' variables, from the wiring the stack and the runner build. */
export function cleanupEnvironment(wiring: CleanupWiring, ...occasions: CleanupOccasion[]): FunctionEnvironment {
  return Object.assign(
    {},
    ...contractsOf(occasions).map((contract) => (contract.environmentFor as (w: CleanupWiring) => object)(wiring)),
  );
}

/** What the stack grants a function that runs the cleanups on these occasions. */
export function cleanupUses(...occasions: CleanupOccasion[]): Use[] {
  return contractsOf(occasions).flatMap((contract) => contract.uses);
}

/** The names of the cleanups called on these occasions, in order: what a function opens (open.ts). */
export function cleanupNames(...occasions: CleanupOccasion[]): CleanupName[] {
  return contractsOf(occasions).map((contract) => contract.name);
}

/** A cleanup's name: open.ts has a runtime for each. */
export type CleanupName = Contract['name'];

function contractsOf(occasions: readonly CleanupOccasion[]): readonly Contract[] {
  const wanted = new Set(occasions.flatMap((occasion) => cleanupsFor(occasion)));
  return CLEANUP_CONTRACTS.filter((contract) => wanted.has(contract));
}
