import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { peopleIf } from '../../../people/open';
import { SearchIndex } from '../../../search/index-table';
import { meaningIf } from '../../../search/meaning/open';
import { NotFoundError } from '../../../shared/errors';
import type { Powertools } from '../../../shared/powertools';
import type { ImageStore } from '../../../store/image-store';
import { AlbumStore } from '../../album-store';
import { type AlbumReadDeps, getAlbum } from '../album-read';
import type { GetSharedEnv } from '../share-contract';
import type { AlbumImages } from './get-shared';

/**
 * An album's images as a link shows them: `GET /albums/{id}`'s page (album-read.ts), read as the album's owner
 * (never an admin: never another owner's images), so a smart album's link shows its search as it is now. Only each
 * image's id, status and size and the album's name are kept; a missing album is none (the link's 404).
 */
export function albumImagesOf(
  config: GetSharedEnv,
  tools: Powertools,
  client: ConstructorParameters<typeof AlbumStore>[0] & ConstructorParameters<typeof SearchIndex>[0],
  store: ImageStore,
): AlbumImages {
  const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);
  // The page's tiles would link their thumbnails, presigned with this role: the link answers its own renditions
  // instead, so none is signed (and the role needs no read of the thumbnails).
  const links = { sign: async () => ({}), keysOf: () => ({}) };
  const deps: AlbumReadDeps = {
    albums: new AlbumStore(client, config.ALBUMS_TABLE),
    images: store,
    links,
    coverUrl: async () => '',
    list: {
      store,
      search: (search) => index.search(search),
      links,
      people: peopleIf(client, config),
      meaning: meaningIf(config),
      meaningFailed: (error) => {
        tools.logger.error('search by meaning failed: answering by words alone', error as Error);
        tools.metrics.addMetric('MeaningSearchErrors', MetricUnit.Count, 1);
      },
    },
  };
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
