import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { IObjectRemover } from './image-objects';

/** One object of a listing: its key and, where the listing says, when it was last written. */
export interface ListedObject {
  key: string;
  modified?: Date;
}

/** One page of the objects under a prefix, and where the next page starts (absent on the last). */
export interface KeyPage {
  objects: ListedObject[];
  next?: string;
}

/** Port: the objects under a prefix, a page at a time, so no listing is ever held whole. */
export interface IKeyLister {
  listPage(bucket: string, prefix: string, next?: string): Promise<KeyPage>;
}

/** ListObjectsV2's largest page, which is also DeleteObjects' largest batch: one delete per page. */
const PAGE_KEYS = 1000;

/** The port on S3 (needs `s3:ListBucket` on the bucket, for this prefix). */
export class S3KeyLister implements IKeyLister {
  constructor(private readonly client: S3Client) {}

  async listPage(bucket: string, prefix: string, next?: string): Promise<KeyPage> {
    const page = await this.client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: PAGE_KEYS, ContinuationToken: next }),
    );
    const objects = (page.Contents ?? []).flatMap(({ Key, LastModified }) =>
      Key === undefined ? [] : [{ key: Key, modified: LastModified }],
    );
    return { objects, next: page.IsTruncated ? page.NextContinuationToken : undefined };
  }
}

/**
 * Delete the objects under `prefix` that `select` picks (default: every one), a page at a time: list a page, delete
 * it, go on from the page's token (a position in the key order, which deleting what came before does not move).
 * Answers how many keys went.
 */
export async function deleteUnder(
  bucket: string,
  prefix: string,
  lister: IKeyLister,
  remover: IObjectRemover,
  select: (object: ListedObject) => boolean = () => true,
): Promise<number> {
  let deleted = 0;
  let next: string | undefined;
  do {
    const page = await lister.listPage(bucket, prefix, next);
    const keys = page.objects.filter(select).map((object) => object.key);
    if (keys.length > 0) await remover.deleteObjects(bucket, keys);
    deleted += keys.length;
    next = page.next;
  } while (next !== undefined);
  return deleted;
}
