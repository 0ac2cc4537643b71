import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiFunction, parseRequest } from '../../../api/http';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { ShareStore } from '../../../shares/share-store';
import { batchGetImages } from '../../../store/batch-get';
import { S3ImageObjects } from '../../../store/image-objects';
import type { ListSharesEnv } from '../share-contract';
import { ListSharesQuerySchema } from '../share-schemas';
import { type ListSharesDeps, listShares, type SharedPhoto } from './list-shares';
import { ListSharesEnvSchema } from './route';

const { config, tools, serve } = apiFunction('list-shares', ListSharesEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const shares = new ShareStore(dynamo, config.SHARES_TABLE);
const photos = sharedPhotos(dynamo, new S3ImageObjects(createS3Client(config, tools.tracer)), config);

/** GET /shares → 200 `{items, cursor?}`: the caller's links, newest first. */
export const handler = serve(async (event, caller) => {
  const asked = parseRequest(ListSharesQuerySchema, event.queryStringParameters ?? {}, 'query');
  return { statusCode: 200, body: await listShares(caller, asked, { shares, photos }) };
});

/** Rounds of asking again for keys DynamoDB left unprocessed (throttling): a row without its photo beats no page. */
const GET_ROUNDS = 2;

/** The owner's photos' file names and smallest thumbnails (presigned: local signing, no S3 call). */
function sharedPhotos(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  objects: S3ImageObjects,
  env: ListSharesEnv,
): ListSharesDeps['photos'] {
  const projection = {
    expression: '#imageId, #owner, #filename, #thumbnails, #locked',
    names: {
      '#imageId': 'imageId',
      '#owner': 'owner',
      '#filename': 'filename',
      '#thumbnails': 'thumbnails',
      '#locked': 'locked',
    },
  };
  return async (owner, imageIds) => {
    const found = await batchGetImages(client, env.TABLE_NAME, imageIds, projection, GET_ROUNDS);
    const photos = new Map<string, SharedPhoto>();
    for (const item of found) {
      // A photo another owner holds now (re-owned) says nothing of itself in this owner's list.
      if (item.owner !== owner) continue;
      // A locked photo: said so, unsigned (listShares shows nothing of it).
      if (item.locked === true) {
        photos.set(String(item.imageId), { locked: true });
        continue;
      }
      const thumbnails = (item.thumbnails ?? {}) as Record<string, string>;
      const smallest = Object.keys(thumbnails).sort((a, b) => Number(a) - Number(b))[0];
      const thumbnailUrl =
        smallest === undefined
          ? undefined
          : await objects.presignDownload(
              env.BUCKET_NAME,
              thumbnails[smallest] as string,
              env.DOWNLOAD_URL_TTL_SECONDS,
            );
      photos.set(String(item.imageId), {
        ...(typeof item.filename === 'string' && { filename: item.filename }),
        ...(thumbnailUrl && { thumbnailUrl }),
      });
    }
    return photos;
  };
}
