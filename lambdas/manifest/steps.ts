import type { z } from 'zod';
import { type IngestWiring, type ProcessorConfig, processorContract } from '../ingest/functions/processor/contract';
import { PHASES, type StepDeclaration } from '../kit/processor-step-contract';
import type { RoomManifest, RoomStep } from '../kit/room';
import { ROOMS } from './rooms';

type Room = (typeof ROOMS)[number];
/** Every step a room declares, typed entry by entry. */
type StepsOf<R> = R extends { steps: readonly (infer S)[] } ? S : never;
export type DeclaredRoomStep = StepsOf<Room>;
type Declared = DeclaredRoomStep extends infer S ? (S extends { declaration: infer D } ? D : never) : never;

/** The rooms' steps, in ROOMS' order. */
export const ROOM_STEPS: readonly RoomStep[] = ROOMS.flatMap((room: RoomManifest) => room.steps ?? []);

/**
 * What the processor does with an upload it has to process, in order: every room's steps (room.ts), phase by phase
 * (PHASES, lambdas/kit/processor-step-contract.ts), the steps of a phase starting together in ROOMS' order. The
 * order is the contract: nothing of the image is stored before the owner's policy has read the analysis, what the
 * record says is there before the record, what is made from the record after it, all before its event goes out.
 */
export const PROCESSOR_STEPS: readonly (StepDeclaration | readonly StepDeclaration[])[] = PHASES.flatMap(
  (phase): (StepDeclaration | readonly StepDeclaration[])[] => {
    const inPhase = ROOM_STEPS.map((step) => step.declaration).filter((declaration) => declaration.phase === phase);
    if (inPhase.length === 0) return [];
    return inPhase.length === 1 ? inPhase : [inPhase];
  },
);

/** Every step's name: each has a runtime (step-runners.ts). */
export type StepName = Declared['name'];

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type WiringOf<D> = D extends { contract: { environment: (wiring: infer W) => unknown } } ? W : IngestWiring;

/** What the stack and the local runner wire the processor with: its own, and what each step's contract asks for. */
export type ProcessorWiring = IngestWiring & Intersection<WiringOf<Declared>>;

type EnvOf<D> = D extends { contract: { env: infer S extends z.ZodRawShape } }
  ? z.output<z.ZodObject<S>>
  : Record<never, never>;

/** What the processor's parse reads: its own variables, and each step's (its contract's `env`). */
export type ProcessorStepsConfig = ProcessorConfig & Intersection<EnvOf<Declared>>;

/** The processor's variables, environment, uses and bundled data, made from its steps' declarations. */
export const PROCESSOR = processorContract<ProcessorWiring, ProcessorStepsConfig>(PROCESSOR_STEPS);
