/**
 * The request mix of issue 14, written once for each contender: our rendition spec, the reference pipeline's
 * image request (its edits, in the order its URL or JSON gives them), and the Pillow script's request. Same
 * output size, format and encoder quality for all three; the quality values are the reference pipeline's
 * defaults (sharp's: JPEG 80, WebP 80, AVIF 50), stated explicitly in ours and Pillow's.
 */
import sharp from 'sharp';
import type { OutputFormat, RenditionSpec } from '../../lambdas/core/render/rendition';
import type { DitRequest } from './dit';

/** One watermark for everyone: a PNG logo, bottom right, half opacity, a fifth of the output's width. */
export const WATERMARK = { name: 'logo', widthRatio: 0.2, margin: 16, opacity: 0.5, bucket: 'assets', key: 'logo.png' };

export interface PillowRequest {
  mode: 'cover' | 'inside';
  w: number;
  h?: number;
  format: OutputFormat;
  q: number;
  /** Pillow has no saliency or face detection: the smart crop is a centred crop. */
  smart: boolean;
  watermark?: { widthRatio: number; margin: number; opacity: number };
}

export interface MixRequest {
  name: string;
  label: string;
  /** Longest output side, for the "outputs up to 1024 px" subset. */
  longestSide: number;
  spec: RenditionSpec;
  /** A fresh request each call: the reference code rewrites its edits while it works. */
  dit: () => DitRequest;
  pillow: PillowRequest;
  /** Output size for a source of `width` x `height` (already oriented). */
  expected: (width: number, height: number) => { width: number; height: number };
}

/** Every field a normalised spec has, at the spec parser's neutral values. */
const BASE: RenditionSpec = {
  fit: 'inside',
  dpr: 1,
  enlarge: false,
  gravity: 'center',
  format: 'jpeg',
  rotate: 0,
  flip: false,
  flop: false,
  grayscale: false,
  normalize: false,
  watermarkGravity: 'southeast',
  watermarkOpacity: WATERMARK.opacity,
};

const cover = (w: number, h: number) => () => ({ width: w, height: h });
const insideWidth = (w: number) => (width: number, height: number) => ({
  width: Math.min(w, width),
  height: Math.round((height * Math.min(w, width)) / width),
});
const insideBox = (side: number) => (width: number, height: number) => {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
};

export const MIX: MixRequest[] = [
  {
    name: 'card-400-webp',
    label: '400 px WebP cover (400x225)',
    longestSide: 400,
    spec: { ...BASE, w: 400, h: 225, fit: 'cover', format: 'webp', q: 80 },
    // JSON request: {"key": ..., "edits": {"resize": {"width": 400, "height": 225, "fit": "cover"}}, "outputFormat": "webp"}
    dit: () => ({ edits: { resize: { width: 400, height: 225, fit: 'cover' } }, outputFormat: 'webp' }),
    pillow: { mode: 'cover', w: 400, h: 225, format: 'webp', q: 80, smart: false },
    expected: cover(400, 225),
  },
  {
    name: 'inside-800-avif',
    label: '800 px AVIF',
    longestSide: 800,
    spec: { ...BASE, w: 800, format: 'avif', q: 50 },
    dit: () => ({ edits: { resize: { width: 800, fit: 'inside' } }, outputFormat: 'avif' }),
    pillow: { mode: 'inside', w: 800, format: 'avif', q: 50, smart: false },
    expected: insideWidth(800),
  },
  {
    name: 'inside-1200-jpeg',
    label: '1200 px JPEG',
    longestSide: 1200,
    spec: { ...BASE, w: 1200, format: 'jpeg', q: 80 },
    dit: () => ({ edits: { resize: { width: 1200, fit: 'inside' } }, outputFormat: 'jpeg' }),
    pillow: { mode: 'inside', w: 1200, format: 'jpeg', q: 80, smart: false },
    expected: insideWidth(1200),
  },
  {
    name: 'smart-200-square',
    label: '200 px smart-crop square (WebP)',
    longestSide: 200,
    spec: { ...BASE, w: 200, h: 200, fit: 'cover', gravity: 'smart', format: 'webp', q: 80 },
    // Thumbor URL /200x200/filters:format(webp):smart_crop()/<key>: resize first, then format, then the smart crop,
    // the cheap order for it (a smart crop before the resize would send the full 12 MP image to Rekognition).
    dit: () => ({
      edits: {
        resize: { width: 200, height: 200 },
        toFormat: 'webp',
        smartCrop: { faceIndex: undefined, padding: undefined },
      },
      outputFormat: 'webp',
    }),
    pillow: { mode: 'cover', w: 200, h: 200, format: 'webp', q: 80, smart: true },
    expected: cover(200, 200),
  },
  {
    name: 'watermark-1024-jpeg',
    label: 'watermarked 1024 px JPEG',
    longestSide: 1024,
    spec: { ...BASE, w: 1024, h: 1024, format: 'jpeg', q: 80, watermark: WATERMARK.name },
    // Thumbor URL /fit-in/1024x1024/filters:format(jpeg):watermark(assets,logo.png,-16,-16,50,20,none)/<key>;
    // with the format first, its overlay code's extra render is a JPEG, not the source's format (AVIF is slow).
    dit: () => ({
      edits: {
        resize: { width: 1024, height: 1024, fit: 'inside' },
        toFormat: 'jpeg',
        overlayWith: {
          bucket: WATERMARK.bucket,
          key: WATERMARK.key,
          alpha: String(Math.round(100 * (1 - WATERMARK.opacity))),
          wRatio: String(Math.round(100 * WATERMARK.widthRatio)),
          hRatio: 'none',
          options: { left: String(-WATERMARK.margin), top: String(-WATERMARK.margin) },
        },
      },
      outputFormat: 'jpeg',
    }),
    pillow: {
      mode: 'inside',
      w: 1024,
      h: 1024,
      format: 'jpeg',
      q: 80,
      smart: false,
      watermark: { widthRatio: WATERMARK.widthRatio, margin: WATERMARK.margin, opacity: WATERMARK.opacity },
    },
    expected: insideBox(1024),
  },
];

/** A 480x160 logo with transparency, drawn from shapes (no fonts needed): what a brand would upload. */
export function makeLogo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160">
    <rect x="4" y="4" width="472" height="152" rx="32" fill="#ffffff" fill-opacity="0.85"/>
    <circle cx="84" cy="80" r="56" fill="#e4572e"/>
    <path d="M60 104 L84 52 L108 104 Z" fill="#ffffff"/>
    <rect x="168" y="44" width="272" height="24" rx="12" fill="#29335c"/>
    <rect x="168" y="92" width="200" height="24" rx="12" fill="#29335c" fill-opacity="0.7"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
