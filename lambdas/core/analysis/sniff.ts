import type { ImageFormat } from '../record';
import { rawKind } from './raw/kind';

/** ISO-BMFF `ftyp` brands: AVIF is AV1 in HEIF; the HEVC brands are what phones write. */
const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

const JXL_CONTAINER = [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

const startsWith = (bytes: Buffer, signature: number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

/**
 * The real format of `bytes`, from their magic numbers alone; undefined when it is none we know.
 * A camera RAW is told apart from a plain TIFF by a look at IFD0 (raw/kind.ts).
 * `mif1`/`msf1` are generic HEIF brands: the caller learns AV1 vs HEVC from the decoder's header read.
 */
export function sniffFormat(bytes: Buffer): ImageFormat | undefined {
  // Before TIFF and HEIF: most RAW kinds are TIFFs, and CR3 is an ISO-BMFF file.
  const raw = rawKind(bytes);
  if (raw) return raw;
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x66, 0x74, 0x79, 0x70], 4)) return sniffHeifBrand(bytes);
  // JPEG XL: the bare codestream, or the ISO-BMFF container whose first box is the 12-byte `JXL ` signature box.
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, JXL_CONTAINER)) return 'jxl';
  if (looksLikeSvg(bytes)) return 'svg';
  return undefined;
}

function sniffHeifBrand(bytes: Buffer): ImageFormat | undefined {
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= boxSize; offset += 4) brands.push(bytes.toString('latin1', offset, offset + 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return 'avif';
  if (brands.some((brand) => HEIC_BRANDS.has(brand))) return 'heic';
  return undefined;
}

function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, 1024)).trimStart().toLowerCase();
  return (
    head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'))
  );
}
