import type { RawFormat } from '../../vocabulary';
import { firstIfd, TAG } from './tiff';

const startsWith = (bytes: Buffer, text: string, offset = 0): boolean =>
  bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;

/**
 * The RAW kind of `bytes`, from their first bytes and, for the TIFF-based kinds, a look at IFD0's entries (no
 * value past IFD0 is read): DNG by its DNGVersion tag, CR2 by `CR` at byte 8, NEF and ARW by their maker with the
 * SubIFDs their raw data sits in (a camera's plain TIFF has none), ORF by its own magic, RAF by its header, CR3 by
 * its `crx ` brand. Undefined for anything else, a plain TIFF among them.
 */
export function rawKind(bytes: Buffer): RawFormat | undefined {
  if (startsWith(bytes, 'FUJIFILMCCD-RAW')) return 'raf';
  if (startsWith(bytes, 'IIRO') || startsWith(bytes, 'IIRS') || startsWith(bytes, 'MMOR')) return 'orf';
  if (startsWith(bytes, 'ftypcrx ', 4)) return 'cr3';
  if (!startsWith(bytes, 'II*\0') && !startsWith(bytes, 'MM\0*')) return undefined;
  if (startsWith(bytes, 'CR', 8)) return 'cr2';
  const first = firstIfd(bytes);
  if (!first) return undefined;
  const { ifd, reader } = first;
  if (ifd.entries.has(TAG.dngVersion)) return 'dng';
  if (!ifd.entries.has(TAG.subIfds)) return undefined;
  const make = reader.text(ifd, TAG.make)?.toUpperCase() ?? '';
  if (make.startsWith('NIKON')) return 'nef';
  if (make.startsWith('SONY')) return 'arw';
  return undefined;
}
