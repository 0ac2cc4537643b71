import type { Motion, ProcessedRecord } from '../../../lambdas/core/record';
import {
  type LivePort,
  type LivePosting,
  type LiveVideo,
  stillArrives,
  stillRemoved,
  videoArrives,
} from '../../../lambdas/live/live-photos';
import type { ImageItem } from '../../../lambdas/store/image-item';

const ID = '7E1A2C44-5B3D-4F0E-9A61-2D8C3B7F1E90';

/** The Live Photos table and the results table in memory, as LiveStore keeps them. */
class MemoryLive implements LivePort {
  videos = new Map<string, LiveVideo>();
  posted = new Map<string, LivePosting>();
  records = new Map<string, ImageItem>();
  uploads = new Set<string>();
  deletedObjects: string[] = [];

  async keepVideo(video: LiveVideo) {
    if (this.videos.has(video.imageId)) return false;
    this.videos.set(video.imageId, { ...video });
    return true;
  }
  async video(imageId: string) {
    return this.videos.get(imageId);
  }
  async post(posting: LivePosting) {
    this.posted.set(`${posting.owner}#${posting.base}#${posting.role}#${posting.imageId}`, posting);
  }
  async postings(owner: string, base: string, limit: number) {
    return [...this.posted.values()].filter((p) => p.owner === owner && p.base === base).slice(0, limit);
  }
  async unpost(posting: Pick<LivePosting, 'owner' | 'base' | 'role' | 'imageId'>) {
    this.posted.delete(`${posting.owner}#${posting.base}#${posting.role}#${posting.imageId}`);
  }
  async pairVideo(videoId: string, stillId: string) {
    const video = this.videos.get(videoId);
    if (video) video.still = stillId;
  }
  async setMotion(stillId: string, owner: string, motion: Motion) {
    const record = this.records.get(stillId);
    if (record?.owner !== owner || record.status !== 'PROCESSED' || record.analysis?.status !== 'PROCESSED') {
      return false;
    }
    record.analysis.metadata.motion = motion;
    return true;
  }
  async forgetUpload(imageId: string) {
    this.uploads.delete(imageId);
  }
  async removeVideo(video: LiveVideo) {
    this.deletedObjects.push(video.key);
    if (video.base) await this.unpost({ owner: video.owner, base: video.base, role: 'video', imageId: video.imageId });
    this.videos.delete(video.imageId);
  }
}

function still(imageId: string, owner: string, filename: string, contentIdentifier?: string): ImageItem {
  const analysis = {
    status: 'PROCESSED',
    metadata: {
      format: 'heic',
      width: 4032,
      height: 3024,
      exif: { make: 'Apple', model: 'iPhone 12' },
      ...(contentIdentifier !== undefined && { contentIdentifier }),
    },
  } as unknown as ProcessedRecord;
  return { imageId, owner, filename, status: 'PROCESSED', analysis } as unknown as ImageItem;
}

function mov(imageId: string, owner: string, base: string | undefined, contentIdentifier?: string): LiveVideo {
  return {
    imageId,
    owner,
    ...(base !== undefined && { base }),
    bucket: 'bucket',
    key: `uploads/${imageId}.mov`,
    bytes: 2699,
    durationSeconds: 1,
    ...(contentIdentifier !== undefined && { contentIdentifier }),
    createdAt: '2026-11-30T00:00:00.000Z',
  };
}

const motionOf = (live: MemoryLive, id: string) => {
  const analysis = live.records.get(id)?.analysis;
  return analysis?.status === 'PROCESSED' ? analysis.metadata.motion : undefined;
};

describe('Live Photos: a still and its MOV paired as they arrive', () => {
  it('pairs a MOV that arrives after its still, and forgets its upload record', async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC', ID));
    live.uploads.add('V1');
    expect(await stillArrives(live.records.get('S1') as ImageItem, { live })).toBe('alone');
    expect(await videoArrives(mov('V1', 'alice', 'img_1234', ID), { live })).toBe('paired');
    expect(motionOf(live, 'S1')).toEqual({
      kind: 'live-photo',
      format: 'mov',
      bytes: 2699,
      durationSeconds: 1,
      key: 'uploads/V1.mov',
      imageId: 'V1',
    });
    expect(live.videos.get('V1')?.still).toBe('S1');
    expect(live.uploads.has('V1')).toBe(false);
  });

  it('pairs a still that arrives after its MOV', async () => {
    const live = new MemoryLive();
    expect(await videoArrives(mov('V1', 'alice', 'img_1234', ID), { live })).toBe('pending');
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC', ID));
    expect(await stillArrives(live.records.get('S1') as ImageItem, { live })).toBe('paired');
    expect(motionOf(live, 'S1')).toMatchObject({ kind: 'live-photo', imageId: 'V1', key: 'uploads/V1.mov' });
    expect(live.videos.get('V1')?.still).toBe('S1');
  });

  it('takes a duplicate delivery of either file as the first: one pair, the same motion', async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.JPG'));
    await videoArrives(mov('V1', 'alice', 'img_1234'), { live });
    await stillArrives(live.records.get('S1') as ImageItem, { live });
    const first = structuredClone(motionOf(live, 'S1'));
    expect(await videoArrives(mov('V1', 'alice', 'img_1234'), { live })).toBe('paired');
    expect(await stillArrives(live.records.get('S1') as ImageItem, { live })).toBe('paired');
    expect(motionOf(live, 'S1')).toEqual(first);
    expect(live.videos.size).toBe(1);
    expect(live.posted.size).toBe(2);
  });

  it("never pairs one owner's MOV with another owner's still of the same name", async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC'));
    await stillArrives(live.records.get('S1') as ImageItem, { live });
    expect(await videoArrives(mov('V1', 'bob', 'img_1234'), { live })).toBe('pending');
    expect(motionOf(live, 'S1')).toBeUndefined();
  });

  it('pairs by content identifier when both carry one: a MOV of another shot of the same name waits', async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC', ID));
    await stillArrives(live.records.get('S1') as ImageItem, { live });
    expect(await videoArrives(mov('V0', 'alice', 'img_1234', 'ANOTHER-SHOT'), { live })).toBe('pending');
    expect(await videoArrives(mov('V1', 'alice', 'img_1234', ID), { live })).toBe('paired');
    expect(motionOf(live, 'S1')).toMatchObject({ imageId: 'V1' });
  });

  it('keeps a MOV with no file name unpaired, never lost', async () => {
    const live = new MemoryLive();
    live.uploads.add('V1');
    expect(await videoArrives(mov('V1', 'alice', undefined), { live })).toBe('pending');
    expect(live.videos.get('V1')).toMatchObject({ owner: 'alice', key: 'uploads/V1.mov' });
    expect(live.uploads.has('V1')).toBe(false);
  });

  it("refuses a still that is no HEIC or JPEG, a motion photo, one without a name or no Apple camera's", async () => {
    const live = new MemoryLive();
    const png = still('S1', 'alice', 'IMG_1234.PNG');
    if (png.analysis?.status === 'PROCESSED') png.analysis.metadata.format = 'png';
    expect(await stillArrives(png, { live })).toBe('refused');
    const motionPhoto = still('S2', 'alice', 'PXL_1.jpg');
    if (motionPhoto.analysis?.status === 'PROCESSED') {
      motionPhoto.analysis.metadata.motion = { kind: 'motion-photo', format: 'mp4', bytes: 10, offset: 5 };
    }
    expect(await stillArrives(motionPhoto, { live })).toBe('refused');
    expect(await stillArrives({ ...still('S3', 'alice', 'x.jpg'), filename: undefined }, { live })).toBe('refused');
    const pixel = still('S4', 'alice', 'IMG_1234.JPG');
    if (pixel.analysis?.status === 'PROCESSED') pixel.analysis.metadata.exif = { make: 'Google', model: 'Pixel 8' };
    expect(await stillArrives(pixel, { live })).toBe('refused');
    expect(live.posted.size).toBe(0);
  });

  it('a MOV whose still is in the trash (no longer PROCESSED) waits, and pairs once it is back', async () => {
    const live = new MemoryLive();
    const record = still('S1', 'alice', 'IMG_1234.HEIC');
    live.records.set('S1', record);
    await stillArrives(record, { live });
    record.status = 'TRASHED';
    expect(await videoArrives(mov('V1', 'alice', 'img_1234'), { live })).toBe('pending');
    record.status = 'PROCESSED';
    expect(await stillArrives(record, { live })).toBe('paired');
  });

  it('a still purged takes its MOV (object, item, posting) and its own posting', async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC'));
    await videoArrives(mov('V1', 'alice', 'img_1234'), { live });
    await stillArrives(live.records.get('S1') as ImageItem, { live });
    await stillRemoved(live.records.get('S1') as ImageItem, { live });
    expect(live.deletedObjects).toEqual(['uploads/V1.mov']);
    expect(live.videos.size).toBe(0);
    expect(live.posted.size).toBe(0);
  });

  it('a still purged leaves a MOV that another still of its name took since', async () => {
    const live = new MemoryLive();
    live.records.set('S1', still('S1', 'alice', 'IMG_1234.HEIC'));
    await videoArrives(mov('V1', 'alice', 'img_1234'), { live });
    await stillArrives(live.records.get('S1') as ImageItem, { live });
    await live.pairVideo('V1', 'S2');
    await stillRemoved(live.records.get('S1') as ImageItem, { live });
    expect(live.deletedObjects).toEqual([]);
    expect(live.videos.has('V1')).toBe(true);
  });
});
