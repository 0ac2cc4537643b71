/*
 * Just enough of a JPEG's markers to judge an embedded preview (its size, whether it is a picture libvips decodes at
 * all) and to give it the RAW's orientation when it has none of its own.
 */

export interface JpegInfo {
  width: number;
  height: number;
  /** Its own EXIF orientation (APP1 Exif, IFD0 tag 274), when it has one. */
  orientation?: number;
  /** Where its APP1 Exif segments are, [start, end) each. */
  exifSegments: [number, number][];
}

/** SOF markers of the pictures a preview is: baseline, extended and progressive DCT (not lossless: a CR2's raw data). */
const PICTURE_SOFS = new Set([0xc0, 0xc1, 0xc2]);
const OTHER_SOFS = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** The JPEG's frame size and EXIF facts, read from its markers up to the frame header; undefined if it is no preview. */
export function jpegInfo(bytes: Buffer): JpegInfo | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const exifSegments: [number, number][] = [];
  let orientation: number | undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return undefined;
    if (PICTURE_SOFS.has(marker)) {
      if (length < 7) return undefined;
      const height = bytes.readUInt16BE(at + 5);
      const width = bytes.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { width, height, orientation, exifSegments } : undefined;
    }
    if (OTHER_SOFS.has(marker) || marker === 0xda) return undefined;
    if (marker === 0xe1 && bytes.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      exifSegments.push([at, at + 2 + length]);
      orientation ??= tiffOrientation(bytes.subarray(at + 10, at + 2 + length));
    }
    at += 2 + length;
  }
  return undefined;
}

function tiffOrientation(tiff: Buffer): number | undefined {
  if (tiff.length < 8) return undefined;
  const le = tiff[0] === 0x49;
  const u16 = (at: number) => (at + 2 > tiff.length ? 0 : le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (at + 4 > tiff.length ? 0 : le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd = u32(4);
  const count = u16(ifd);
  for (let i = 0; i < count && ifd + 14 + i * 12 <= tiff.length; i++) {
    const entry = ifd + 2 + i * 12;
    if (u16(entry) === 274 && u16(entry + 2) === 3) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The JPEG with an EXIF segment saying only `orientation` in place of any it had: libvips reads the orientation from
 * it, so the header, the ingest decode and the renditions turn the preview as the camera said, and JPEG
 * shrink-on-load still works. Only the markers are rewritten; the picture's bytes are copied as they are.
 */
export function withOrientation(jpeg: Buffer, orientation: number, exifSegments: [number, number][]): Buffer {
  const segment = Buffer.alloc(36);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(34, 2);
  segment.write('Exif\0\0MM\0*', 4, 'latin1');
  segment.writeUInt32BE(8, 14);
  segment.writeUInt16BE(1, 18);
  segment.writeUInt16BE(274, 20);
  segment.writeUInt16BE(3, 22);
  segment.writeUInt32BE(1, 24);
  segment.writeUInt16BE(orientation, 28);
  segment.writeUInt32BE(0, 32);
  const parts: Buffer[] = [jpeg.subarray(0, 2), segment];
  let from = 2;
  for (const [start, end] of exifSegments) {
    parts.push(jpeg.subarray(from, start));
    from = end;
  }
  parts.push(jpeg.subarray(from));
  return Buffer.concat(parts);
}
