// What main.ts needs of `render` to define the command, apart from render.ts, which loads sharp.

/**
 * The flags of `image-intel render`: one per parameter of the rendition grammar (docs/renditions.md), named as
 * the JSON spec names them, values as typed. They are read by the same parser as `POST /images/{id}/renditions`,
 * so the limits and the messages are the API's.
 */
export interface RenderFlags {
  output: string;
  w?: string;
  h?: string;
  fit?: string;
  dpr?: string;
  enlarge?: boolean;
  gravity?: string;
  crop?: string;
  rotate?: string;
  flip?: boolean;
  flop?: boolean;
  blur?: string;
  sharpen?: string;
  median?: string;
  kernel?: string;
  grayscale?: boolean;
  normalize?: boolean;
  brightness?: string;
  saturation?: string;
  hue?: string;
  contrast?: string;
  /** An image file drawn as the watermark (the API names a configured one instead). */
  watermark?: string;
  /** A text drawn as the watermark. */
  watermarkText?: string;
  watermarkGravity?: string;
  watermarkOpacity?: string;
  format?: string;
  q?: string;
  preset?: string;
  maxPixels?: number;
}

/** `render`'s exit codes: written, the file could not be rendered, or the command line was wrong. */
export const RENDER_EXIT = { ok: 0, notRendered: 1, usage: 2 } as const;

export const RENDER_EXIT_HELP = `
The spec is the API's (docs/renditions.md), with the deployment defaults' limits
(largest side 4096 px, dpr 3) and presets (card, hero, avatar). The format
comes from --format, else from the output's extension; gravity smart uses
sharp's attention strategy (no faces or objects are detected here).

Exit codes:
  0  the rendition was written; one JSON line on stdout describes it
     (nothing is printed with -o -: the image goes to stdout)
  1  the file could not be rendered: unreadable, not an image, over the pixel
     limit, or the spec does not fit it (a crop past its edge, an output over
     the largest side, a watermark on an animated image); the reason on stderr
  2  usage error: an unknown option, a value outside the grammar's limits
`;
