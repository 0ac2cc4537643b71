import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { S3ImageObjects } from '../store/image-objects';
import { LIVE_CLEANUP } from './cleanup-contract';
import { type LiveDeps, stillRemoved } from './live-photos';
import { LiveStore } from './live-store';

/**
 * A still deleted for good takes its MOV (live-photos.ts stillRemoved). The trash keeps both: the MOV was never
 * listed, and a restore brings the Live Photo back whole.
 */
export function liveCleanup(deps: LiveDeps): ImageCleanup {
  return { name: LIVE_CLEANUP.name, remove: (image) => stillRemoved(image, deps) };
}

export const LIVE_CLEANUP_MODULE: ImageCleanupModule = {
  name: LIVE_CLEANUP.name,
  open: (env: { LIVE_TABLE: string; TABLE_NAME: string }, { dynamo, s3 }) => {
    if (!s3) throw new Error("the Live Photos cleanup deletes a MOV's object: open it with an S3 client");
    return liveCleanup({ live: new LiveStore(dynamo, env.LIVE_TABLE, env.TABLE_NAME, new S3ImageObjects(s3)) });
  },
};
