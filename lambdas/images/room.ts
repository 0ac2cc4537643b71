import type { RoomManifest } from '../manifest/room';

/**
 * The images' routes that have a manifest of their own (the older ones are in lambdas/manifest/routes.ts): what a
 * photo's owner changes after upload.
 */
export const IMAGES_ROOM: RoomManifest = {
  routes: [],
};
