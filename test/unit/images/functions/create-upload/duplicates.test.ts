import { createUpload } from '../../../../../lambdas/images/functions/create-upload/create-upload';
import { uploadRequestSchema } from '../../../../../lambdas/images/functions/create-upload/route';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import type { UploadTarget } from '../../../../../lambdas/store/image-objects';

const SHA = 'a'.repeat(64);
const caller = { owner: 'alice', admin: false };
const schema = uploadRequestSchema({ allowedTypes: ['image/jpeg'], maxUploadBytes: 1000, maxRawUploadBytes: 1000 });

function setUp(duplicateOf?: string) {
  const pending: ImageItem[] = [];
  const presigned: UploadTarget[] = [];
  const asked: Array<[string, string]> = [];
  const deps = {
    store: {
      createPending: async (item: ImageItem) => void pending.push(item),
      findDuplicate: async (owner: string, sha256: string) => {
        asked.push([owner, sha256]);
        return duplicateOf;
      },
    },
    presigner: {
      presignUpload: async (target: UploadTarget) => {
        presigned.push(target);
        return { url: 'https://bucket', fields: {} };
      },
    },
    bucket: 'images',
    urlTtlSeconds: 900,
  };
  return { pending, presigned, asked, deps };
}

describe('POST /uploads with a sha256', () => {
  it("answers the caller's image with those bytes and stores nothing: no record, no form", async () => {
    const { pending, presigned, asked, deps } = setUp('01JABCDEFGHJKMNPQRSTVWXYZ0');
    const answer = await createUpload(schema.parse({ contentType: 'image/jpeg', size: 10, sha256: SHA }), caller, deps);
    expect(answer).toMatchObject({ duplicateOf: '01JABCDEFGHJKMNPQRSTVWXYZ0' });
    expect(asked).toEqual([['alice', SHA]]);
    expect(pending).toEqual([]);
    expect(presigned).toEqual([]);
  });

  it('uploads as usual when the caller has no image of those bytes, with S3 held to the checksum', async () => {
    const { pending, presigned, deps } = setUp();
    const answer = await createUpload(schema.parse({ contentType: 'image/jpeg', size: 10, sha256: SHA }), caller, deps);
    expect(answer).toHaveProperty('imageId');
    expect(pending).toHaveLength(1);
    expect(presigned[0]?.sha256).toBe(SHA);
  });

  it('uploads a duplicate anyway with duplicates keep, without asking', async () => {
    const { pending, asked, deps } = setUp('01JABCDEFGHJKMNPQRSTVWXYZ0');
    const request = schema.parse({ contentType: 'image/jpeg', size: 10, sha256: SHA, duplicates: 'keep' });
    expect(await createUpload(request, caller, deps)).toHaveProperty('imageId');
    expect(asked).toEqual([]);
    expect(pending).toHaveLength(1);
  });

  it('refuses a sha256 that is not 64 hex digits, and a duplicates choice that is neither skip nor keep', () => {
    expect(schema.safeParse({ contentType: 'image/jpeg', size: 10, sha256: 'abc' }).success).toBe(false);
    expect(schema.safeParse({ contentType: 'image/jpeg', size: 10, duplicates: 'maybe' }).success).toBe(false);
    expect(schema.parse({ contentType: 'image/jpeg', size: 10, sha256: SHA.toUpperCase() }).sha256).toBe(SHA);
  });
});
