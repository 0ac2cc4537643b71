import type { z } from 'zod';
import { type IngestWiring, type ProcessorConfig, processorContract } from '../ingest/functions/processor/contract';
import {
  DECODE_STEP,
  PUBLISH_STEP,
  STORE_STEP,
  THUMBNAILS_STEP,
} from '../ingest/functions/processor/steps/thumbnails-contract';
import type { StepDeclaration } from '../kit/processor-step-contract';
import { FOLLOW_MERGES_STEP, PEOPLE_STEP } from '../people/steps/people-contract';
import { PLACE_STEP } from '../places/steps/place-contract';
import { POLICY_STEP } from '../policy/steps/policy-contract';
import { PROVENANCE_STEP } from '../provenance/steps/provenance-contract';
import { EAGER_RENDITIONS_STEP, RENDITIONS_STEP } from '../renditions/steps/renditions-contract';
import { STALE_RENDITIONS_STEP } from '../renditions/steps/stale-renditions-contract';
import { DUPLICATES_STEP } from '../search/steps/duplicates-contract';
import { EMBED_STEP, VECTOR_STEP } from '../search/steps/embed-contract';
import { INDEX_STEP } from '../search/steps/search-index-contract';
import { VISION_STEP } from '../vision/steps/vision-contract';

/**
 * What the processor does with an upload it has to process, in order: each step declared in its room (its
 * contract: variables, environment, uses, bundled data), its runtime found by its name (step-runners.ts). The order
 * is the contract: nothing of the image is stored before the owner's policy has read vision's answer, the vector and
 * then the record before its postings, all before its event goes out, and the earlier version's renditions are
 * deleted last. An inner list starts together.
 */
export const PROCESSOR_STEPS = [
  // The core analyses and encodes the thumbnails in one pass over one decode.
  DECODE_STEP,
  // At once: each waits on something else (inference, the table, sharp), and none reads another's part; `place`
  // needs no inference, so it names the place with `inference=none` as with any provider. `renditions` renders the
  // eager presets in memory; vision gets the thumbnail inline. `provenance` reads the original's credentials, a read
  // it starts as the group starts and passes on to `renditions` (its digital source type).
  [VISION_STEP, DUPLICATES_STEP, RENDITIONS_STEP, EMBED_STEP, PLACE_STEP, PROVENANCE_STEP],
  // The owner's moderation policy, on vision's labels and the provenance: it may blur the image or reject it, before
  // anything is stored.
  POLICY_STEP,
  // The thumbnails (blurred when the policy says) and the eager renditions (none then); the faces, which need
  // vision's and add their searches to its cost.
  [THUMBNAILS_STEP, EAGER_RENDITIONS_STEP, PEOPLE_STEP],
  // The vector goes in before the record that says it is there (search/steps/embed.ts).
  VECTOR_STEP,
  // `store` also gives the record its search terms, which `index` posts: the record says what the index holds.
  STORE_STEP,
  INDEX_STEP,
  // Then the images of people grouping merged into its people are re-pointed (their postings too).
  FOLLOW_MERGES_STEP,
  PUBLISH_STEP,
  STALE_RENDITIONS_STEP,
] as const satisfies readonly (StepDeclaration | readonly StepDeclaration[])[];

type Declared = (typeof PROCESSOR_STEPS)[number] extends infer E ? (E extends readonly (infer G)[] ? G : E) : never;

/** Every step's name: step-runners.ts has a runtime for each. */
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
