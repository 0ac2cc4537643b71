import { decodeTime } from 'ulid';
import {
  isFolderPlaceholder,
  SourceObjectMessageSchema,
  sourceImageId,
  toSourceObject,
} from '../../../lambdas/backfill/source-object';
import { isImageId } from '../../../lambdas/store/keys';

const message = (object: Record<string, unknown>) =>
  SourceObjectMessageSchema.parse({ sourceObject: 1, run: 'r', bucket: 'photos', owner: null, object });

describe('sourceImageId', () => {
  const when = new Date('2019-08-01T10:11:12.345Z');

  it('is a valid image id, the same for the same object and version, whichever way it arrives', () => {
    const id = sourceImageId('photos', 'a/b.jpg', when);
    expect(isImageId(id)).toBe(true);
    expect(sourceImageId('photos', 'a/b.jpg', new Date('2019-08-01T10:11:12.000Z'))).toBe(id);
  });

  it("sorts by the object's modification time, to the second, so lists show it where it belongs", () => {
    expect(decodeTime(sourceImageId('photos', 'a/b.jpg', when))).toBe(Date.parse('2019-08-01T10:11:12.000Z'));
  });

  it('differs for another key, another bucket, another version', () => {
    const ids = new Set([
      sourceImageId('photos', 'a/b.jpg', when),
      sourceImageId('photos', 'a/c.jpg', when),
      sourceImageId('other', 'a/b.jpg', when),
      sourceImageId('photos', 'a/b.jpg', new Date('2020-01-01T00:00:00Z')),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('toSourceObject', () => {
  it("reads AWS's ItemReader item (Etag, epoch seconds) and moto's (ETag, ISO date) alike", () => {
    const aws = toSourceObject(message({ Key: 'k', Size: 3, Etag: '"e"', LastModified: 1564654272 }));
    const moto = toSourceObject(message({ Key: 'k', Size: 3, ETag: '"e"', LastModified: '2019-08-01T10:11:12+00:00' }));
    expect(aws).toEqual(moto);
    expect(aws).toMatchObject({ key: 'k', size: 3, etag: '"e"', lastModified: new Date('2019-08-01T10:11:12Z') });
  });

  it('regroups faces only when the message says so, and a regroup re-analyses', () => {
    const object = { Key: 'uploads/k.jpg', Size: 3, LastModified: 1 };
    expect(toSourceObject(message(object))).toMatchObject({ reprocess: false, regroupFaces: false });
    const regroup = SourceObjectMessageSchema.parse({
      ...{ sourceObject: 1, run: 'r', bucket: 'photos' },
      regroupFaces: true,
      object,
    });
    expect(toSourceObject(regroup)).toMatchObject({ reprocess: true, regroupFaces: true });
  });

  it('says why when the modification time is not a time', () => {
    expect(toSourceObject(message({ Key: 'k', Size: 3, LastModified: 'yesterday' }))).toBe(
      'LastModified "yesterday" is not a time',
    );
  });

  it('refuses a message without the object, or with an empty key', () => {
    expect(SourceObjectMessageSchema.safeParse({ sourceObject: 1, run: 'r', bucket: 'photos' }).success).toBe(false);
    expect(() => message({ Key: '', Size: 0, LastModified: 1 })).toThrow();
  });
});

describe('isFolderPlaceholder', () => {
  it('is a zero-byte key ending in a slash, nothing else', () => {
    expect(isFolderPlaceholder('2019/', 0)).toBe(true);
    expect(isFolderPlaceholder('2019/', 10)).toBe(false);
    expect(isFolderPlaceholder('empty.jpg', 0)).toBe(false);
  });
});
