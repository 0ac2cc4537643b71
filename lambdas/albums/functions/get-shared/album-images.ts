import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../../shared/errors';
import type { Powertools } from '../../../shared/powertools';
import type { ImageStore } from '../../../store/image-store';
import { getAlbum } from '../album-read';
import { createAlbumReadDeps } from '../album-read-deps';
import type { GetSharedEnv } from '../share-contract';
import type { AlbumImages } from './get-shared';

/**
 * An album's images as a link shows them: `GET /albums/{id}`'s page (album-read.ts, read with the same deps), read as
 * the album's owner (never an admin: never another owner's images), so a smart album's link shows its search as it is
 * now. Only each image's id, status and size and the album's name are kept; a missing album is none (the link's 404).
 */
export function albumImagesOf(
  config: GetSharedEnv,
  tools: Powertools,
  client: DynamoDBDocumentClient,
  store: ImageStore,
): AlbumImages {
  // The page's tiles would link their thumbnails, presigned with this role: the link answers its own renditions
  // instead, so none is signed (and the role needs no read of the thumbnails).
  const links = { sign: async () => ({}), keysOf: () => ({}) };
  const deps = createAlbumReadDeps(config, tools, client, store, { links, coverUrl: async () => '' });
  return async ({ albumId, owner }, asked) => {
    try {
      const read = await getAlbum(albumId, asked, { owner, admin: false }, deps);
      const images = read.items.map(({ imageId, status, width, height }) => ({ imageId, status, width, height }));
      return { name: read.album.name, images, ...(read.cursor !== undefined && { cursor: read.cursor }) };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}
