import type { RoomManifest } from '../kit/room';
import { INGEST_QUEUE } from './functions/processor/contract';

/**
 * The ingest queue: S3's and the backfills' notices of new images. Its consumer, the processor, is the registry's
 * (lambdas/manifest/steps.ts): its environment and uses are the sum of every room's processor steps, which only the
 * list of rooms knows.
 */
export const INGEST_ROOM = {
  queues: [INGEST_QUEUE],
} satisfies RoomManifest;
