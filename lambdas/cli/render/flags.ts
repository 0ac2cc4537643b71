// What command.ts needs of `render` to define the command, apart from render.ts, which loads sharp.
import { PARAM_ENTRIES, type ParamName, type RENDITION_PARAMS } from '../../core/render/rendition-params';

type Params = typeof RENDITION_PARAMS;

/**
 * The flags of `image-intel render`: one per row of the rendition parameters (core/render/rendition-params.ts), named as
 * the JSON spec names them (`--watermark-opacity` for `watermarkOpacity`), values as typed. They are read by the
 * same parser as `POST /images/{id}/renditions`, so the limits and the messages are the API's. `--watermark` is a
 * file here, and `--watermark-text` a text (the API names a configured watermark instead).
 */
export type RenderFlags = { [K in ParamName]?: Params[K]['kind'] extends 'flag' ? boolean : string } & {
  output: string;
  /** A text drawn as the watermark. */
  watermarkText?: string;
  maxPixels?: number;
};

/** A parameter's flag and its help, for commander (which reads `--watermark-opacity` back as `watermarkOpacity`). */
export function renditionOptions(): { flags: string; help: string }[] {
  return PARAM_ENTRIES.map(([field, { kind, cli }]) => {
    const flag = `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    return { flags: kind === 'flag' ? flag : `${flag} <${cli.value ?? 'value'}>`, help: cli.help };
  });
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
