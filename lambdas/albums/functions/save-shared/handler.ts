import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { apiFunction, header, jsonBody, parseRequest } from '../../../api/http';
import { secretKeySet } from '../../../renditions/key-secret';
import { createDocumentClient, createS3Client } from '../../../shared/aws-clients';
import { ShareStore } from '../../../shares/share-store';
import { ImageStore } from '../../../store/image-store';
import { S3ObjectStore } from '../../../store/object-store';
import { AlbumStore } from '../../album-store';
import { SaveSharedRequestSchema, TOKEN_IN_HEADER } from '../share-schemas';
import { SaveSharedEnvSchema } from './route';
import { type SaveSharedDeps, saveShared } from './save-shared';

const { config, tools, serve } = apiFunction('save-shared', SaveSharedEnvSchema);
const dynamo = createDocumentClient(tools.tracer);
const s3 = createS3Client(config, tools.tracer);
const store = new S3ObjectStore(s3);
const deps: SaveSharedDeps = {
  shares: new ShareStore(dynamo, config.SHARES_TABLE),
  images: new ImageStore(dynamo, config.TABLE_NAME),
  albums: new AlbumStore(dynamo, config.ALBUMS_TABLE),
  keys: secretKeySet(config.SIGNING_SECRET_ARN),
  objects: {
    read: (bucket, key, maxBytes) => store.read(bucket, key, maxBytes),
    write: (bucket, key, bytes, contentType) => store.write(bucket, key, bytes, contentType),
    copy: async (from, to, contentType) => {
      await s3.send(
        new CopyObjectCommand({
          CopySource: `${from.bucket}/${encodeURIComponent(from.key).replace(/%2F/g, '/')}`,
          Bucket: to.bucket,
          Key: to.key,
          ContentType: contentType,
          MetadataDirective: 'REPLACE',
        }),
      );
    },
  },
  bucket: config.BUCKET_NAME,
  maxBytes: config.MAX_UPLOAD_BYTES,
};

/** POST /shared/{token}/save `{photo}` → 202 `{imageId, status: SAVING, position}`, or 200 SAVED (saved before). */
export const handler = serve(async (event, caller) => {
  const request = parseRequest(SaveSharedRequestSchema, jsonBody(event), 'body');
  const inPath = event.pathParameters?.token ?? '';
  const token = inPath === TOKEN_IN_HEADER ? (header(event, 'x-share-token') ?? '') : inPath;
  const password = header(event, 'x-share-password');
  const client = event.requestContext?.identity?.sourceIp;
  const saved = await saveShared(token, { ...request, password, client }, caller, deps);
  tools.logger.appendKeys({ imageId: saved.imageId });
  if (saved.status === 'SAVING') tools.metrics.addMetric('SharedPhotosSaved', MetricUnit.Count, 1);
  return { statusCode: saved.status === 'SAVING' ? 202 : 200, body: saved };
});
