import type { FunctionEnvironment } from '../settings/env';
import type { CleanupWiring } from './cleanups';
import type { TypedPipelineFunction } from './manifest';
import type { apiFunctionsFor } from './routes';

type WiringOf<F> = F extends { environmentFor: (wiring: infer W) => FunctionEnvironment } ? W : never;
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (whole: infer I) => void ? I : never;

/**
 * Everything the API functions' contracts are made from: each route's `environmentFor` takes its part. The stack
 * builds one (lib/image-pipeline-stack.ts) and the runner one (lambdas/local/environments.ts); a function that needs
 * a new resource adds it to its contract's wiring, and both fail to compile until they give it.
 */
export type ApiFunctionsWiring = Intersection<WiringOf<ReturnType<typeof apiFunctionsFor>[number]>> & CleanupWiring;

/** The same for the functions that are no route (manifest.ts). */
export type PipelineFunctionsWiring = Intersection<WiringOf<TypedPipelineFunction>> & CleanupWiring;
