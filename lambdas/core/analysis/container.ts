import { ImageRejectedError } from '../errors';
import type { ResolvedAnalyzeOptions } from '../options';
import type { ImageFormat } from '../record';
import { RAW_FORMATS, type RawFormat } from '../vocabulary';
import { type Header, readHeader } from './decode';
import { type RawFacts, rawPicture } from './raw/preview';

/**
 * The picture inside a file: what the decoders read, and what the container says for the record. Most files are
 * their picture; a camera RAW's is its embedded full-size preview JPEG (raw/preview.ts), so the header read, the ingest
 * decode, the thumbnails, vision and the renditions all work on the preview, JPEG shrink-on-load included. The
 * original is stored as uploaded either way.
 */
export interface Picture {
  /** The bytes the decoders read, and their format. */
  bytes: Buffer;
  format: ImageFormat;
  /** What the file is (`metadata.format`): the same as `format`, or the RAW kind the preview came from. */
  container: ImageFormat;
  /** A RAW's facts (`metadata.raw`). */
  raw?: RawFacts;
  /** A TIFF block with the camera's EXIF, when it is not in the picture's own bytes (a RAW's IFDs). */
  exif?: Buffer;
}

const isRaw = (format: ImageFormat): format is RawFormat => (RAW_FORMATS as readonly string[]).includes(format);

/** The picture inside `bytes` of the sniffed `format`; a RAW without a usable preview throws ImageRejectedError. */
export function pictureOf(bytes: Buffer, format: ImageFormat): Picture {
  if (!isRaw(format)) return { bytes, format, container: format };
  const { jpeg, facts, exif } = rawPicture(bytes, format);
  return { bytes: jpeg, format: 'jpeg', container: format, raw: facts, exif };
}

/**
 * The picture's header, as readHeader reads it (the limits checked on the picture that is decoded), saying what the
 * container is: its format, a RAW's facts, and the camera's EXIF from the container when it has it. A RAW whose
 * preview's header is unreadable is refused as RAW_NO_PREVIEW.
 */
export async function headerOf(picture: Picture, options: ResolvedAnalyzeOptions): Promise<Header> {
  let header: Header;
  try {
    header = await readHeader(picture.bytes, picture.format, options);
  } catch (error) {
    if (!picture.raw || !(error instanceof ImageRejectedError) || error.code !== 'CORRUPT_IMAGE') throw error;
    throw new ImageRejectedError(
      'RAW_NO_PREVIEW',
      `${picture.container.toUpperCase()} preview: ${error.message}`,
      picture.container,
    );
  }
  if (picture.container === picture.format) return header;
  return { ...header, format: picture.container, raw: picture.raw, exif: picture.exif ?? header.exif };
}
