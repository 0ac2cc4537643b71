import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../shared/aws-clients';
import { NotFoundError } from '../../../shared/errors';
import type { Powertools } from '../../../shared/powertools';
import { SharedPageStore } from '../../../shares/shared-pages';
import type { ImageStore } from '../../../store/image-store';
import { getAlbum } from '../album-read';
import { createAlbumReadDeps } from '../album-read-deps';
import type { GetSharedEnv } from '../share-contract';
import type { AlbumImages } from './get-shared';
import { type SmartPagesDeps, smartAlbumPage } from './smart-pages';

/**
 * An album's images as a link shows them: `GET /albums/{id}`'s page (album-read.ts, read with the same deps), read as
 * the album's owner (never an admin: never another owner's images). A manual album's page is read as it is now; a
 * smart album's search runs at most once per page every few minutes, however many views ask (smart-pages.ts). Only
 * each image's id, status and size and the album's name are kept; a missing album is none (the link's 404).
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
  const smart: SmartPagesDeps = {
    // A claim and a page are written in one try: one throttled by a crowd of views is dropped, not retried.
    pages: new SharedPageStore(client, config.SHARES_TABLE, createDocumentClient(tools.tracer, { maxAttempts: 1 })),
    images: store,
    notCached: (error) => tools.logger.warn('shared page not cached', error as Error),
  };
  return async ({ albumId, owner }, asked) => {
    const album = await deps.albums.get(albumId);
    if (!album || album.owner !== owner) return undefined;
    // The page is read with the album just read, not a second read of it.
    const read = { ...deps, albums: { get: async () => album, memberPage: deps.albums.memberPage.bind(deps.albums) } };
    const page = async () => {
      const { items, cursor } = await getAlbum(albumId, asked, { owner, admin: false }, read);
      const images = items.map(({ imageId, status, width, height }) => ({ imageId, status, width, height }));
      return cursor === undefined ? { images } : { images, cursor };
    };
    try {
      const shown = album.kind === 'smart' ? await smartAlbumPage(album, asked, page, smart) : await page();
      return { name: album.name, ...shown };
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  };
}
