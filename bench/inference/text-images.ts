/**
 * The OCR benchmark's images with their reference text, and the character error rate they are scored by.
 *
 * 1. `text-page.png` (scikit-image's `page.png`, a photographed book page) with the reference typed from it.
 * 2. Three lines of black 28 px sans-serif text rendered by librsvg through sharp: on white (900x300 PNG), and
 *    the same SVG composited onto a test photo (JPEG q90), so the text sits on photographic texture.
 *
 * The rendered images go to `bench/corpus/` (gitignored) and are rebuilt when missing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const ROOT = path.join(__dirname, '../..');
const OUT = path.join(__dirname, '..', 'corpus');

export const INVOICE_LINES = ['Invoice 2048', 'Total due: 1,234.56 EUR', 'Pay by 30 November'];

/** An image whose text is known. */
export interface TextCase {
  name: string;
  file: string;
  reference: string;
}

export const TEXT_CASES: TextCase[] = [
  {
    name: 'text-page.png (book page photo)',
    file: path.join(ROOT, 'test/fixtures/vision/text-page.png'),
    // The cut-off caption under the last line is left out: neither a reader nor an engine can read it.
    reference: [
      'Region-based segmentation',
      'Let us first determine markers of the coins and the',
      'background. These markers are pixels that we can label',
      'unambiguously as either object or background. Here,',
      'the markers are found at the two extreme parts of the',
      'histogram of grey values:',
      '>>> markers = np.zeros_like(coins)',
    ].join('\n'),
  },
  {
    name: 'rendered text on white (900x300)',
    file: path.join(OUT, 'text-invoice-white.png'),
    reference: INVOICE_LINES.join('\n'),
  },
  {
    name: 'rendered text on a photo (pier.jpg, 1280x800)',
    file: path.join(OUT, 'text-invoice-photo.jpg'),
    reference: INVOICE_LINES.join('\n'),
  },
];

function invoiceSvg(width: number, height: number): Buffer {
  const text = INVOICE_LINES.map(
    (line, i) => `<text x="40" y="${80 + i * 70}" font-family="sans-serif" font-size="28" fill="#000">${line}</text>`,
  ).join('');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text}</svg>`);
}

/** Writes the rendered text images if they are missing. */
export async function ensureTextImages(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const white = path.join(OUT, 'text-invoice-white.png');
  if (!existsSync(white)) {
    await sharp({ create: { width: 900, height: 300, channels: 3, background: '#ffffff' } })
      .composite([{ input: invoiceSvg(900, 300) }])
      .png()
      .toFile(white);
  }
  const photo = path.join(OUT, 'text-invoice-photo.jpg');
  if (!existsSync(photo)) {
    // A hard case on purpose: pier.jpg's black-and-white stripes run through the black text, hiding parts of it.
    await sharp(path.join(ROOT, 'test/fixtures/photos/pier.jpg'))
      .composite([{ input: invoiceSvg(900, 300), left: 60, top: 60 }])
      .jpeg({ quality: 90 })
      .toFile(photo);
  }
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

function levenshtein(a: string, b: string): number {
  const ac = [...a];
  const bc = [...b];
  let previous = Array.from({ length: bc.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ac.length; i++) {
    const current = [i];
    for (let j = 1; j <= bc.length; j++) {
      const substitution = (previous[j - 1] as number) + (ac[i - 1] === bc[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[bc.length] as number;
}

/** Levenshtein distance over the reference length, both with whitespace runs collapsed to one space. */
export function characterErrorRate(reference: string, text: string): number {
  const ref = collapse(reference);
  return levenshtein(ref, collapse(text)) / [...ref].length;
}
