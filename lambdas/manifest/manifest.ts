import type { PipelineFunction } from '../kit/pipeline-function';
import type { RoomManifest } from '../kit/room';
import type { Use } from '../kit/uses';
import { withCleanups } from './cleanups';
import { ROOMS } from './rooms';
import { PROCESSOR } from './steps';

export type { PipelineFunction } from '../kit/pipeline-function';

type Room = (typeof ROOMS)[number];
/** A room's functions that are no route, typed entry by entry (wiring.ts reads their wiring from them). */
type FunctionsOf<R> = R extends { functions: infer F } ? F[keyof F] : never;
export type RoomFunction = FunctionsOf<Room>;

/**
 * The processor, the ingest queue's consumer: its environment and uses are its own and its steps' (their contracts,
 * each in its room: lambdas/<room>/steps/*-contract.ts), which only the registry's list of steps (steps.ts) knows.
 */
const PROCESSOR_FUNCTION = {
  room: 'ingest',
  does: 'Analyses each upload, writes thumbnails and the record, publishes the outcome',
  trigger: 'the ingest queue: S3 and backfill notices, in batches with partial failures',
  environmentFor: PROCESSOR.environmentFor,
  envSchema: PROCESSOR.envSchema,
  uses: PROCESSOR.uses,
} as const satisfies PipelineFunction;

/**
 * Every function that is no route, by name: the processor and those the rooms declare in their manifests (room.ts).
 * The stack grants each its uses (lib/image-pipeline-stack.ts), and the local runner gives each the environment its
 * contract makes (lambdas/local/environments.ts); the permission tests compare the grants with the calls each makes.
 */
export const PIPELINE_FUNCTIONS: Readonly<Record<string, PipelineFunction>> = Object.assign(
  { processor: PROCESSOR_FUNCTION },
  // Those that run the cleanups with their variables, environment and uses (cleanups.ts).
  ...ROOMS.map((room: RoomManifest) =>
    Object.fromEntries(Object.entries(room.functions ?? {}).map(([name, fn]) => [name, withCleanups(fn)])),
  ),
);

/** The processor's entry and the rooms', typed one by one: what wiring.ts reads. */
export type TypedPipelineFunction = typeof PROCESSOR_FUNCTION | RoomFunction;

/** The same list (the name it had when some functions were listed apart). */
export const ALL_PIPELINE_FUNCTIONS = PIPELINE_FUNCTIONS;

/** A function that is no route, by its name; it throws for a name no room declares. */
export function pipelineFunction(name: string): PipelineFunction {
  const fn = PIPELINE_FUNCTIONS[name];
  if (!fn) throw new Error(`no function ${name} in a room's manifest (lambdas/<room>/room.ts)`);
  return fn;
}

/** What a function that is no route uses, by its name. */
export function usesOf(name: string): readonly Use[] {
  return pipelineFunction(name).uses;
}

/** A function's handler module, relative to lambdas/ and without its extension: what the stack and runner load. */
export function pipelineHandlerModule(name: string): string {
  return `${pipelineFunction(name).room}/functions/${name}/handler`;
}
