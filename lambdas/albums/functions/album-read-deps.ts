import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThumbnailLinks } from '../../images/functions/list-images/list-images';
import { peopleIf } from '../../people/open';
import { SearchIndex } from '../../search/index-table';
import { meaningIf } from '../../search/meaning/open';
import type { Powertools } from '../../shared/powertools';
import type { ImageStore } from '../../store/image-store';
import { AlbumPeople } from '../album-people';
import { AlbumStore } from '../album-store';
import { ImageRefs } from '../image-refs';
import type { AlbumReadDeps } from './album-read';
import type { AlbumReadEnv } from './albums-contract';

/** What only the function reading an album decides: how its tiles and its cover are linked. */
export interface AlbumLinks {
  links: ThumbnailLinks;
  coverUrl: AlbumReadDeps['coverUrl'];
  /** An album without a cover shows its newest image (`GET /albums/{id}`; a shared page shows no cover). */
  newestCover?: true;
  /** Its members read it too, and its contributors' photos show (`GET /albums/{id}`; a share link shows the owner's). */
  members?: true;
}

/**
 * What an album's page is read with (album-read.ts), made once at load by each function that reads one:
 * `GET /albums/{id}`, and `GET /shared/{token}` for an album's link. Its albums, its images' records, and a smart
 * album's search as `GET /images` runs it (the postings; with faceGrouping the people, with searchByMeaning the
 * vectors: a failed search by meaning is logged and counted, and the page answered by its words).
 */
export function createAlbumReadDeps(
  config: AlbumReadEnv,
  tools: Powertools,
  client: DynamoDBDocumentClient,
  images: ImageStore,
  { links, coverUrl, newestCover, members }: AlbumLinks,
): AlbumReadDeps {
  const index = new SearchIndex(client, config.SEARCH_TABLE_NAME);
  return {
    albums: new AlbumStore(client, config.ALBUMS_TABLE),
    images,
    links,
    coverUrl,
    ...(newestCover && { refs: new ImageRefs(client, config.TABLE_NAME) }),
    ...(members && { people: new AlbumPeople(client, config.ALBUMS_TABLE) }),
    list: {
      store: images,
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
}
