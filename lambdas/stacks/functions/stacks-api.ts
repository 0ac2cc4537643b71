import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { createDocumentClient, createS3Client } from '../../shared/aws-clients';
import { BadRequestError } from '../../shared/errors';
import { S3ImageObjects } from '../../store/image-objects';
import { thumbnailKey } from '../../store/keys';
import type { StackItem } from '../stack-store';
import { StackStore } from '../stack-store';
import { framesOf, type StacksDeps } from '../stacks';
import { STACK_ID_PATTERN } from '../table-design';
import type { StackSchema, StacksEnv } from './stacks-contract';

/** What the stack routes run with: the store, and links to the frames' thumbnails. */
export interface StacksApiDeps extends StacksDeps {
  /** Presigned links to an image's thumbnails, by size (local signing: no S3 call). */
  thumbnails(imageId: string): Promise<Record<string, string>>;
}

/** What every stack route works with, made once at load. */
export function createStacksDeps(
  config: StacksEnv,
  tracer?: Parameters<typeof createDocumentClient>[0],
): StacksApiDeps {
  const objects = new S3ImageObjects(createS3Client(config, tracer));
  return {
    stacks: new StackStore(createDocumentClient(tracer), config.STACKS_TABLE, config.TABLE_NAME),
    thumbnails: async (imageId) =>
      Object.fromEntries(
        await Promise.all(
          config.THUMBNAIL_SIZES.map(async (size) => [
            String(size),
            await objects.presignDownload(
              config.BUCKET_NAME,
              thumbnailKey(imageId, size),
              config.DOWNLOAD_URL_TTL_SECONDS,
            ),
          ]),
        ),
      ),
  };
}

/** The `{id}` path parameter, which must be a stack id. */
export function stackIdParam(event: APIGatewayProxyEvent): string {
  const id = event.pathParameters?.id;
  if (id === undefined || !STACK_ID_PATTERN.test(id)) throw new BadRequestError('id: not a stack id');
  return id;
}

/** A stack as the routes answer it: its frames still in it, in its order, each as a viewer's strip shows it. */
export async function stackView(stack: StackItem, deps: StacksApiDeps): Promise<z.output<typeof StackSchema>> {
  const records = await framesOf(stack, deps);
  const frames = await Promise.all(
    records.map(async (record) => {
      const analysis = record.analysis?.status === 'PROCESSED' ? record.analysis : undefined;
      const exif = analysis?.metadata.exif;
      return {
        imageId: record.imageId,
        filename: record.filename,
        contentType: record.contentType,
        takenAt: exif?.takenAt,
        takenAtMs: exif?.takenAtMs,
        width: analysis?.metadata.width,
        height: analysis?.metadata.height,
        thumbnails: await deps.thumbnails(record.imageId),
      };
    }),
  );
  const { stackId, kind, primary, createdAt, updatedAt } = stack;
  return { stackId, kind, primary, count: frames.length, frames, createdAt, updatedAt };
}
