import type { ImageCleanup, ImageCleanupModule } from '../kit/image-cleanup';
import { type IObjectRemover, S3ImageObjects } from '../store/image-objects';
import { deleteUnder, type IKeyLister, S3KeyLister } from '../store/object-pages';
import { RENDITIONS_CLEANUP } from './cleanup-contract';
import { renditionPrefix } from './query';

/** Every stored rendition of the image, a page at a time, in the bucket of its original. */
export function renditionsCleanup(keys: IKeyLister, objects: IObjectRemover): ImageCleanup {
  return {
    name: RENDITIONS_CLEANUP.name,
    remove: async (image) => {
      await deleteUnder(image.bucket, renditionPrefix(image.imageId), keys, objects);
    },
  };
}

export const RENDITIONS_CLEANUP_MODULE: ImageCleanupModule = {
  name: RENDITIONS_CLEANUP.name,
  open: (_env, { s3 }) => {
    if (!s3) throw new Error('the renditions cleanup deletes objects: open it with an S3 client');
    return renditionsCleanup(new S3KeyLister(s3), new S3ImageObjects(s3));
  },
};
