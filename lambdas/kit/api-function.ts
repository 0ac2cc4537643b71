import type { z } from 'zod';
import type { ApiRouteFactory } from '../api/route';
import type { FunctionEnvironment } from '../settings/env';
import type { CleanupOccasion } from './image-cleanup';
import type { Use } from './uses';

/** An API function: its route, its environment from the deployment's wiring, and what it uses. */
export interface ApiFunction {
  /** The feature room that holds it: its folder is `lambdas/<room>/functions/<operationId>/`. */
  room: string;
  route: ApiRouteFactory;
  /** Each contract takes the part of the wiring it needs (`never` here admits any of them). */
  environmentFor: (wiring: never) => FunctionEnvironment;
  /** Every variable its handler reads: what `environmentFor` makes must parse with it (test/infra/contracts.test.ts). */
  envSchema: z.ZodType;
  uses: readonly Use[];
  /**
   * The occasions it runs the rooms' cleanups on (image-cleanup.ts: a purge, a move to the trash and back): the
   * registry adds their variables, environment and uses to its own (lambdas/manifest/cleanups.ts), so it names none.
   */
  cleansUp?: readonly CleanupOccasion[];
  /** A data file its code reads beside its bundle, which the stack copies into its asset (lib/constructs/bundled-data.ts). */
  bundledData?: BundledData;
}

/** The data files a function may carry: `places`, the places data a function naming places reads (`openGeocoder`). */
export type BundledData = 'places';

/**
 * A function's environment from the deployment's wiring: each contract takes its part, which the wiring's type
 * (wiring.ts) holds for the lists typed entry by entry; a room manifest's entries are checked by their contract's
 * schema instead (test/infra/contracts.test.ts).
 */
export function environmentOf(
  fn: { environmentFor: (wiring: never) => FunctionEnvironment },
  wiring: object,
): FunctionEnvironment {
  return (fn.environmentFor as (wiring: object) => FunctionEnvironment)(wiring);
}
