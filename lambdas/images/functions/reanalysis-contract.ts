import { z } from 'zod';
import { ApiEnvSchema, type ApiWiring, apiEnvironment } from '../../api/env';
import { SinkEnvShape, type SinkWiring, sinkEnvironment } from '../../events/wiring';
import type { FunctionEnvironment } from '../../settings/env';

/*
 * What the routes of an edit that re-analyses the image share (`PUT /images/{id}/rotation`, `PUT` and `DELETE
 * /images/{id}/crop`): their environment. The use case they share is in reanalysis.ts.
 */

/**
 * Every variable such a route reads. An edit's but the search table (a turn or a crop changes no search term, so it
 * writes no postings), and the ingest queue.
 */
export const ReanalysisEnvSchema = ApiEnvSchema.extend({
  /** The ingest queue: the processor makes the image's thumbnails, renditions and analysis again, edited. */
  INGEST_QUEUE_URL: z.string().min(1),
  ...SinkEnvShape,
});
export type ReanalysisEnv = z.output<typeof ReanalysisEnvSchema>;

export interface ReanalysisWiring extends ApiWiring, SinkWiring {
  readonly ingestQueueUrl: string;
}

/** The environment the stack and the local runner give each such route. */
export function reanalysisEnvironment(wiring: ReanalysisWiring): FunctionEnvironment {
  return { ...apiEnvironment(wiring), INGEST_QUEUE_URL: wiring.ingestQueueUrl, ...sinkEnvironment(wiring) };
}
