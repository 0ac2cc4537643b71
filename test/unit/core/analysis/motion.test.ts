import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { appleContentIdentifier, findMotionPhoto } from '../../../../lambdas/core/analysis/motion';
import { videoFacts } from '../../../../lambdas/core/analysis/mp4';
import * as raster from '../../../../lambdas/core/analysis/raster';
import { fixture } from '../../../fixtures';

const google = fixture('motion/google-motion.jpg');
const samsung = fixture('motion/samsung-motion.jpg');
const livePhotoStill = fixture('motion/IMG_0001.JPG');
const livePhotoVideo = fixture('motion/IMG_0001.MOV');
const CONTENT_ID = '7E1A2C44-5B3D-4F0E-9A61-2D8C3B7F1E90';

/** The MP4 inside the Google fixture, at the offset its XMP gives. */
function mp4Of(file: Buffer): Buffer {
  const { motion } = findMotionPhoto(file);
  if (motion?.offset === undefined) throw new Error('no motion photo');
  return file.subarray(motion.offset, motion.offset + motion.bytes);
}

const stillOf = (file: Buffer) => file.subarray(0, findMotionPhoto(file).stillEnd);

/** A JPEG of the kite with an XMP packet of `properties` on its description (and `body` inside it). */
async function jpegWithXmp(properties: string, body = ''): Promise<Buffer> {
  const xmp = [
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:GCamera="http://ns.google.com/photos/1.0/camera/"',
    ' xmlns:Container="http://ns.google.com/photos/1.0/container/"',
    ` xmlns:Item="http://ns.google.com/photos/1.0/container/item/" ${properties}>${body}</rdf:Description>`,
    '</rdf:RDF></x:xmpmeta>',
  ].join('');
  return sharp(fixture('photos/kite.jpg')).resize(320).withXmp(xmp).jpeg().toBuffer();
}

const directory = (items: string) =>
  `<Container:Directory><rdf:Seq>${items
    .split('|')
    .map((item) => `<rdf:li rdf:parseType="Resource">${item}</rdf:li>`)
    .join('')}</rdf:Seq></Container:Directory>`;

describe('motion photos', () => {
  it("finds a Google motion photo's MP4 where its Container directory says, with its length and duration", () => {
    const { motion, stillEnd, note } = findMotionPhoto(google);
    expect(note).toBeUndefined();
    expect(motion).toEqual({
      kind: 'motion-photo',
      format: 'mp4',
      bytes: google.length - (stillEnd as number),
      durationSeconds: 1,
      offset: stillEnd,
    });
    expect(google.toString('latin1', (stillEnd as number) + 4, (stillEnd as number) + 8)).toBe('ftyp');
  });

  it("finds a Samsung motion photo's MP4 from its SEF trailer, the still ending where the entry starts", () => {
    const { motion, stillEnd } = findMotionPhoto(samsung);
    expect(motion).toMatchObject({ kind: 'motion-photo', format: 'mp4', durationSeconds: 1 });
    const offset = motion?.offset as number;
    // The entry's head and name come between the still and the video; the video is the same MP4 as Google's.
    expect(samsung.toString('latin1', offset - 16, offset)).toBe('MotionPhoto_Data');
    expect(samsung.subarray(offset, offset + (motion?.bytes as number)).equals(mp4Of(google))).toBe(true);
    expect(stillEnd).toBe(offset - 24);
  });

  it('finds a Samsung MP4 by its marker alone when the SEF directory is missing', () => {
    const { motion } = findMotionPhoto(samsung.subarray(0, samsung.length - 32));
    expect(motion).toMatchObject({ kind: 'motion-photo', bytes: mp4Of(google).length });
  });

  it('reads the older MicroVideo offset, counted from the end of the file', async () => {
    const mp4 = mp4Of(google);
    const still = await jpegWithXmp(`GCamera:MicroVideo="1" GCamera:MicroVideoOffset="${mp4.length}"`);
    const { motion, stillEnd } = findMotionPhoto(Buffer.concat([still, mp4]));
    expect(motion).toMatchObject({ offset: still.length, bytes: mp4.length, durationSeconds: 1 });
    expect(stillEnd).toBe(still.length);
  });

  it('reads Container items written as elements, with later items and padding after the video', async () => {
    const mp4 = mp4Of(google);
    const items = directory(
      [
        '<Container:Item><Item:Mime>image/jpeg</Item:Mime><Item:Semantic>Primary</Item:Semantic></Container:Item>',
        `<Container:Item><Item:Mime>video/mp4</Item:Mime><Item:Semantic>MotionPhoto</Item:Semantic><Item:Length>${mp4.length}</Item:Length><Item:Padding>4</Item:Padding></Container:Item>`,
        '<Container:Item><Item:Mime>image/jpeg</Item:Mime><Item:Semantic>Depth</Item:Semantic><Item:Length>10</Item:Length></Container:Item>',
      ].join('|'),
    );
    const still = await jpegWithXmp('GCamera:MotionPhoto="1"', items);
    const file = Buffer.concat([still, mp4, Buffer.alloc(4), Buffer.alloc(10, 1)]);
    expect(findMotionPhoto(file).motion).toMatchObject({ offset: still.length, bytes: mp4.length });
  });

  it('records no motion, with a note, when the XMP points at bytes that are no MP4', () => {
    const found = findMotionPhoto(fixture('motion/claims-missing-video.jpg'));
    expect(found.motion).toBeUndefined();
    expect(found.stillEnd).toBeUndefined();
    expect(found.note).toMatch(/the XMP says a video of \d+ bytes is at byte \d+, but no MP4 is there/);
  });

  it('never looks elsewhere when the XMP says: an MP4 after a wrong claim is not taken', async () => {
    const mp4 = mp4Of(google);
    const still = await jpegWithXmp(
      'GCamera:MotionPhoto="1"',
      directory(
        `<Container:Item Item:Mime="image/jpeg" Item:Semantic="Primary"/>|<Container:Item Item:Mime="video/mp4" Item:Semantic="MotionPhoto" Item:Length="${mp4.length + 100}"/>`,
      ),
    );
    const found = findMotionPhoto(Buffer.concat([still, mp4]));
    expect(found.motion).toBeUndefined();
    expect(found.note).toMatch(/no MP4 is there/);
  });

  it('notes a motion photo claim with no length or offset, and one longer than the file', async () => {
    expect(findMotionPhoto(await jpegWithXmp('GCamera:MotionPhoto="1"')).note).toMatch(/not where its video is/);
    const micro = await jpegWithXmp('GCamera:MicroVideo="1" GCamera:MicroVideoOffset="99999999"');
    expect(findMotionPhoto(micro)).toEqual({ note: 'the XMP says it is a motion photo, but not where its video is' });
  });

  it('finds nothing in an ordinary photo', () => {
    expect(findMotionPhoto(fixture('photos/kite.jpg'))).toEqual({});
    expect(findMotionPhoto(fixture('formats/forest.heic'))).toEqual({});
    expect(findMotionPhoto(Buffer.alloc(0))).toEqual({});
  });

  it('analyses the still alone: the same record as the still without its video, the hash of the whole file', async () => {
    const [whole, still] = await Promise.all([analyzeImage(google), analyzeImage(stillOf(google))]);
    if (whole.record.status !== 'PROCESSED' || still.record.status !== 'PROCESSED') throw new Error('not processed');
    expect(whole.record.metadata.motion).toMatchObject({ kind: 'motion-photo', durationSeconds: 1 });
    expect(still.record.metadata.motion).toBeUndefined();
    expect(whole.record.hashes.phash).toBe(still.record.hashes.phash);
    expect(whole.record.size).toBe(google.length);
    expect(whole.record.hashes.sha256).not.toBe(still.record.hashes.sha256);
    expect(whole.thumbnails.map((thumbnail) => thumbnail.data)).toEqual(still.thumbnails.map((t) => t.data));
  });

  it('keeps a large video out of the decoder: 8 MB of trailing video, the still decoded strictly', async () => {
    const mp4 = mp4Of(google);
    // The MP4 with an 8 MB `free` box after its boxes: still one valid run of boxes, of the length the XMP gives.
    const free = Buffer.alloc(8 * 1024 * 1024);
    free.writeUInt32BE(free.length, 0);
    free.write('free', 4, 'latin1');
    const video = Buffer.concat([mp4, free]);
    const still = await jpegWithXmp(
      'GCamera:MotionPhoto="1"',
      directory(
        `<Container:Item Item:Mime="image/jpeg" Item:Semantic="Primary"/>|<Container:Item Item:Mime="video/mp4" Item:Semantic="MotionPhoto" Item:Length="${video.length}"/>`,
      ),
    );
    const file = Buffer.concat([still, video]);
    const decode = jest.spyOn(raster, 'decodeOriented');
    const { record, notes } = await analyzeImage(file);
    expect(decode.mock.calls.map(([bytes]) => bytes.length)).toEqual([still.length]);
    decode.mockRestore();
    expect(notes).toBeUndefined();
    expect(record).toMatchObject({
      status: 'PROCESSED',
      size: file.length,
      metadata: { width: 320, motion: { offset: still.length, bytes: video.length, durationSeconds: 1 } },
    });
  });

  it('records a motion photo whose XMP claim fails without motion, with a note, never rejected', async () => {
    const { record, notes } = await analyzeImage(fixture('motion/claims-missing-video.jpg'));
    expect(record.status).toBe('PROCESSED');
    expect(record.status === 'PROCESSED' && record.metadata.motion).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/no MP4 is there/)]);
  });

  it('refuses a file over the byte limit whole, without cutting its still out first', async () => {
    const { record } = await analyzeImage(google, { maxBytes: google.length - 1 });
    expect(record).toMatchObject({ status: 'REJECTED', rejection: { code: 'FILE_TOO_LARGE' } });
  });
});

describe('the MP4 and MOV boxes', () => {
  it("reads a Live Photo MOV's brand, duration and content identifier", () => {
    expect(videoFacts(livePhotoVideo, 0)).toEqual({
      format: 'mov',
      end: livePhotoVideo.length,
      durationSeconds: 1,
      contentIdentifier: CONTENT_ID,
    });
  });

  it('reads no duration from a video cut before its moov, and nothing from bytes that are no box', () => {
    const mp4 = mp4Of(google);
    const ftypEnd = mp4.readUInt32BE(0);
    expect(videoFacts(mp4.subarray(0, ftypEnd), 0)).toEqual({ format: 'mp4', end: ftypEnd });
    expect(videoFacts(Buffer.alloc(64, 0x2a), 0)).toBeUndefined();
    expect(videoFacts(Buffer.from('not a video at all'), 0)).toBeUndefined();
  });

  it('reads a version 1 mvhd (64-bit duration)', () => {
    const mvhd = Buffer.alloc(8 + 4 + 28);
    mvhd.writeUInt32BE(mvhd.length, 0);
    mvhd.write('mvhd', 4, 'latin1');
    mvhd[8] = 1;
    mvhd.writeUInt32BE(600, 8 + 4 + 16);
    mvhd.writeBigUInt64BE(1500n, 8 + 4 + 20);
    const moov = Buffer.concat([Buffer.from([0, 0, 0, 8 + mvhd.length]), Buffer.from('moov'), mvhd]);
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 16]), Buffer.from('ftypisom'), Buffer.alloc(4)]);
    expect(videoFacts(Buffer.concat([ftyp, moov]), 0)?.durationSeconds).toBe(2.5);
  });
});

describe("Apple's content identifier", () => {
  it("reads a Live Photo still's content identifier from its MakerNote, into the record", async () => {
    const { exif } = await sharp(livePhotoStill).metadata();
    expect(appleContentIdentifier(exif)).toBe(CONTENT_ID);
    const { record } = await analyzeImage(livePhotoStill);
    expect(record.status === 'PROCESSED' && record.metadata.contentIdentifier).toBe(CONTENT_ID);
  });

  it('finds none in EXIF without an Apple MakerNote, nor in none', async () => {
    const { exif } = await sharp(fixture('formats/exif-gps.jpg')).metadata();
    expect(appleContentIdentifier(exif)).toBeUndefined();
    expect(appleContentIdentifier(undefined)).toBeUndefined();
  });
});
