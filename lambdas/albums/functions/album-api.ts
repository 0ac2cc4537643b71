import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { S3ImageObjects } from '../../store/image-objects';
import { ImageStore } from '../../store/image-store';
import { thumbnailKey } from '../../store/keys';
import { AlbumPeople } from '../album-people';
import type { SharingDeps } from '../album-sharing';
import { AlbumStore } from '../album-store';
import { ImageRefs } from '../image-refs';
import { ALBUM_ID_PATTERN } from '../schemas';
import type { AlbumsEnv } from './albums-contract';

/*
 * What the album routes run with (their description is albums-contract.ts): the stores, opened once at load, and the
 * `{id}` they take.
 */

/** The `{id}` path parameter, which must be an album id. */
export function albumIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !ALBUM_ID_PATTERN.test(id)) throw new BadRequestError('id: not an album id');
  return id;
}

/** What every album route works with, made once at load. */
export function createAlbumsDeps(config: AlbumsEnv, tracer?: Parameters<typeof createDocumentClient>[0]) {
  const dynamo = createDocumentClient(tracer);
  const objects = new S3ImageObjects(createS3Client(config, tracer));
  const smallest = Math.min(...config.THUMBNAIL_SIZES);
  const deps: SharingDeps & { images: ImageStore } = {
    albums: new AlbumStore(dynamo, config.ALBUMS_TABLE),
    // The owners each album is shared with (album-sharing.ts), in the same table.
    people: new AlbumPeople(dynamo, config.ALBUMS_TABLE),
    refs: new ImageRefs(dynamo, config.TABLE_NAME),
    images: new ImageStore(dynamo, config.TABLE_NAME),
    // Presigning is local signing: no S3 call per cover.
    coverUrl: (imageId) =>
      objects.presignDownload(config.BUCKET_NAME, thumbnailKey(imageId, smallest), config.DOWNLOAD_URL_TTL_SECONDS),
  };
  return deps;
}
