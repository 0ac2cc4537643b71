import quantize from 'quantize';
import type { PaletteEntry } from '../record';

type Rgb = { r: number; g: number; b: number };

/** Pixels at or above this alpha count as visible for palette and brightness. */
const VISIBLE_ALPHA = 128;
const DARK_BELOW = 70;
/** Palette colours closer than this (RGB distance) are one colour to a person; edge blends would split them. */
const MERGE_DISTANCE = 24;
const BRIGHT_ABOVE = 185;

export interface ColourFacts {
  palette: PaletteEntry[];
  dominantColor: Rgb & { hex: string };
  brightness: { value: number; class: 'dark' | 'normal' | 'bright' };
}

const toHex = ({ r, g, b }: Rgb): string => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/**
 * Palette (median cut, up to `size` colours, each with its share of the visible pixels), dominant colour and
 * mean Rec. 601 luma, from a small RGBA raster.
 */
export function colourFacts(rgba: Uint8Array, size = 6): ColourFacts {
  const pixels: [number, number, number][] = [];
  for (let i = 0; i < rgba.length; i += 4) {
    if ((rgba[i + 3] as number) >= VISIBLE_ALPHA)
      pixels.push([rgba[i] as number, rgba[i + 1] as number, rgba[i + 2] as number]);
  }
  // A fully transparent image still has colours; use them rather than report nothing.
  if (pixels.length === 0) {
    for (let i = 0; i < rgba.length; i += 4)
      pixels.push([rgba[i] as number, rgba[i + 1] as number, rgba[i + 2] as number]);
  }

  let luma = 0;
  for (const [r, g, b] of pixels) luma += 0.299 * r + 0.587 * g + 0.114 * b;
  const value = Math.round((luma / pixels.length) * 10) / 10;

  const centres = paletteCentres(pixels, size);
  const counts = countNearest(pixels, centres);
  const palette = centres
    .map(([r, g, b], index) => ({ rgb: { r, g, b }, share: (counts[index] as number) / pixels.length }))
    .filter((entry) => entry.share > 0)
    .sort((x, y) => y.share - x.share)
    .map(({ rgb, share }) => ({ hex: toHex(rgb), rgb, proportion: Math.round(share * 10000) / 10000 }));
  const dominant = (palette[0] as PaletteEntry).rgb;

  return {
    palette,
    dominantColor: { hex: toHex(dominant), ...dominant },
    brightness: { value, class: value < DARK_BELOW ? 'dark' : value > BRIGHT_ABOVE ? 'bright' : 'normal' },
  };
}

/** For each centre, how many pixels are nearest to it. */
function countNearest(pixels: [number, number, number][], centres: [number, number, number][]): number[] {
  const counts = new Array<number>(centres.length).fill(0);
  for (const [r, g, b] of pixels) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    centres.forEach(([cr, cg, cb], index) => {
      const distance = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = index;
      }
    });
    counts[best] = (counts[best] as number) + 1;
  }
  return counts;
}

/** Median-cut centres; near-identical ones folded into the most common of them. */
function paletteCentres(pixels: [number, number, number][], size: number): [number, number, number][] {
  const distinct = new Map<number, [number, number, number]>();
  for (const pixel of pixels) {
    distinct.set((pixel[0] << 16) | (pixel[1] << 8) | pixel[2], pixel);
    if (distinct.size > size) break;
  }
  // quantize cannot split fewer colours than it is asked for; a flat image is its own palette.
  const map = distinct.size > size ? quantize(pixels, size) : false;
  const candidates = map ? (map.palette() as [number, number, number][]) : [...distinct.values()].slice(0, size);
  const counts = countNearest(pixels, candidates);
  const byShare = candidates
    .map((centre, index) => ({ centre, count: counts[index] as number }))
    .sort((a, b) => b.count - a.count);
  const kept: [number, number, number][] = [];
  for (const { centre } of byShare) {
    const [r, g, b] = centre;
    if (!kept.some((other) => Math.hypot(other[0] - r, other[1] - g, other[2] - b) < MERGE_DISTANCE)) kept.push(centre);
  }
  return kept;
}
