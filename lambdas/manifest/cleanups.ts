import { z } from 'zod';
import type { CleanupClients, CleanupOccasion, ImageCleanup, ImageCleanupContract } from '../kit/image-cleanup';
import type { RoomCleanup, RoomManifest } from '../kit/room';
import type { Use } from '../kit/uses';
import { type FunctionEnvironment, parseEnv } from '../settings/env';
import { ROOMS } from './rooms';

/*
 * What the trash runs of the rooms that keep data about an image (lambdas/kit/image-cleanup.ts), read from their
 * manifests (room.ts `cleanups`), in ROOMS' order. The trash's functions say only on which occasions they run them
 * (`cleansUp`): the registry adds the cleanups' variables, environment and uses to theirs (`withCleanups`), and their
 * entry points open the cleanups here, so the trash names no room and a new room with per-image data edits nothing in
 * it. The order is the purge's; none of a room's data points at another's.
 */

type Room = (typeof ROOMS)[number];
type CleanupsOf<R> = R extends { cleanups: readonly (infer C)[] } ? C : never;
type WiringOf<C> = C extends { contract: { environmentFor: (wiring: infer W) => unknown } } ? W : unknown;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** What the stack and the runner must give a function that runs the cleanups: each room's wiring, together. */
export type CleanupWiring = Intersection<WiringOf<CleanupsOf<Room>>>;

/** Every room's cleanup, in ROOMS' order. */
export const ROOM_CLEANUPS: readonly RoomCleanup[] = ROOMS.flatMap((room: RoomManifest) => room.cleanups ?? []);

/** The cleanups called on these occasions: a purge calls every one; a move to the trash, those with its hooks. */
export function cleanupsFor(...occasions: CleanupOccasion[]): readonly RoomCleanup[] {
  return ROOM_CLEANUPS.filter(({ contract }) =>
    (contract.occasions ?? ['purge']).some((occasion) => occasions.includes(occasion)),
  );
}

const contractsOf = (occasions: readonly CleanupOccasion[]): ImageCleanupContract<unknown>[] =>
  cleanupsFor(...occasions).map(({ contract }) => contract);

/** The variables of the cleanups called on these occasions, with each cleanup's check across them. */
export function cleanupEnvSchema(...occasions: CleanupOccasion[]) {
  return withCleanupChecks(z.object(cleanupEnvShape(occasions)), occasions);
}

const cleanupEnvShape = (occasions: readonly CleanupOccasion[]): z.ZodRawShape =>
  Object.assign({}, ...contractsOf(occasions).map((contract) => contract.envShape));

const withCleanupChecks = <S extends z.ZodObject>(schema: S, occasions: readonly CleanupOccasion[]) =>
  schema.superRefine((env, context) => {
    for (const contract of contractsOf(occasions)) contract.checkEnv?.(env, context);
  });

/** The cleanups' variables, from the wiring the stack and the runner build. */
export function cleanupEnvironment(wiring: CleanupWiring, ...occasions: CleanupOccasion[]): FunctionEnvironment {
  return Object.assign({}, ...contractsOf(occasions).map((contract) => contract.environmentFor(wiring)));
}

/** What the stack grants a function that runs the cleanups on these occasions. */
export function cleanupUses(...occasions: CleanupOccasion[]): Use[] {
  return contractsOf(occasions).flatMap((contract) => contract.uses);
}

/** A function that runs the cleanups (`cleansUp`), with their variables, environment and uses added to its own. */
export function withCleanups<
  F extends {
    cleansUp?: readonly CleanupOccasion[];
    environmentFor: (wiring: never) => FunctionEnvironment;
    envSchema: z.ZodType;
    uses: readonly Use[];
  },
>(fn: F): F {
  const occasions = fn.cleansUp;
  if (!occasions?.length) return fn;
  const own = fn.environmentFor as (wiring: CleanupWiring) => FunctionEnvironment;
  return {
    ...fn,
    environmentFor: (wiring: CleanupWiring) => ({ ...own(wiring), ...cleanupEnvironment(wiring, ...occasions) }),
    // Its own schema with the cleanups' variables and checks: still an object schema, which the tests read the
    // variables of (test/infra/contracts.test.ts).
    envSchema: withCleanupChecks((fn.envSchema as z.ZodObject).safeExtend(cleanupEnvShape(occasions)), occasions),
    uses: [...fn.uses, ...cleanupUses(...occasions)],
  };
}

/**
 * The cleanups a function runs on these occasions, opened once (at load) from its variables, in ROOMS' order: each
 * room's runtime loaded from its manifest, its variables parsed with its contract's; a room whose feature is off (no
 * people table, no vector index) is left out. `name` is the function's, for the error of a variable missing.
 */
export function openCleanups(
  name: string,
  env: NodeJS.ProcessEnv,
  clients: CleanupClients,
  ...occasions: CleanupOccasion[]
): ImageCleanup[] {
  const parsed = parseEnv(cleanupEnvSchema(...occasions), env, name);
  return cleanupsFor(...occasions).flatMap(({ contract, runtime }) => {
    const module = runtime();
    if (module.name !== contract.name)
      throw new Error(`the cleanup declared as ${contract.name} runs as ${module.name}`);
    return module.open(parsed, clients) ?? [];
  });
}
