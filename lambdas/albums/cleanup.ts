import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { AlbumStore } from './album-store';
import { ALBUMS_CLEANUP } from './cleanup-contract';

/** The image's memberships of albums (idempotent: a retried delete finds none). */
export function albumsCleanup(albums: Pick<AlbumStore, 'removeImage'>): ImageCleanup {
  return { name: ALBUMS_CLEANUP.name, remove: (image) => albums.removeImage(image.imageId) };
}

export const ALBUMS_CLEANUP_MODULE: ImageCleanupModule = {
  name: ALBUMS_CLEANUP.name,
  open: (env: { ALBUMS_TABLE: string }, { dynamo }) => albumsCleanup(new AlbumStore(dynamo, env.ALBUMS_TABLE)),
};
