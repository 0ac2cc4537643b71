import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { headerOf, pictureOf } from '../../core/analysis/container';
import { sniffFormat } from '../../core/analysis/sniff';
import { ImageRejectedError } from '../../core/errors';
import { AnalyzeOptionsSchema } from '../../core/options';
import { RenditionError, renderImage } from '../../core/render/render';
import { OUTPUT_FORMATS, type OutputFormat, type RenditionSpec, type Watermark } from '../../core/render/rendition';
import { PARAM_ENTRIES } from '../../core/render/rendition-params';
import { REGION_TEXT, regionFromText } from '../../core/render/rendition-values';
import { negotiateFormat } from '../../renditions/query';
import { checkAgainstImage, parseRenditionSpec } from '../../renditions/spec';
import { parseDeploymentSettings } from '../../settings';
import { renditionLimitsOf } from '../../settings/renditions';
import { AppError } from '../../shared/errors';
import { RENDER_EXIT, type RenderFlags } from './flags';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const EXTENSION_FORMATS: Record<string, OutputFormat> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
};
/** The names the watermark flags stand for in the spec (the API's are configured ones). */
const FILE_MARK = 'file';
const TEXT_MARK = 'text';

/** What the command says it did: the rendition's file, format and size. */
export interface RenderSummary {
  file: string;
  output: string;
  format: OutputFormat;
  width: number;
  height: number;
  bytes: number;
}

/**
 * `image-intel render`: one rendition of a local file, with no AWS.
 *
 * 1. Read the flags into a spec with the API's parser and limits (usage error, exit 2, for anything outside them);
 *    settle the format from `--format` or the output's extension.
 * 2. Read the file's header (its oriented size and frames, within the pixel limit) and check the spec against it,
 *    as the API does before it signs a URL.
 * 3. Render it as the render function does, from the whole original, and write it to the output (`-`: stdout).
 */
export async function renderCommand(
  file: string,
  flags: RenderFlags,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`image-intel: ${line}\n`),
): Promise<number> {
  const settings = parseDeploymentSettings({});
  const maxPixels = flags.maxPixels ?? settings.maxPixels;
  const request = await specRequest(flags);
  if (typeof request === 'string') {
    err(request);
    return RENDER_EXIT.usage;
  }
  const limits = { ...renditionLimitsOf(settings), watermarks: [FILE_MARK, TEXT_MARK] };
  let spec: RenditionSpec;
  try {
    spec = parseRenditionSpec(request.input, limits, settings.renditionPresets);
  } catch (error) {
    err((error as Error).message);
    return RENDER_EXIT.usage;
  }

  try {
    const bytes = await readFile(file);
    const format = sniffFormat(bytes);
    if (!format) throw new RenditionError('SOURCE_REJECTED', 'not an image in a format we decode');
    const header = await headerOf(pictureOf(bytes, format), AnalyzeOptionsSchema.parse({ maxPixels }));
    const turned = header.orientation >= 5 && header.orientation <= 8;
    const image = {
      width: turned ? header.height : header.width,
      height: turned ? header.width : header.height,
      animated: header.pages > 1,
    };
    checkAgainstImage(spec, image, limits);
    // No Accept header here: `auto` is JPEG, or PNG for a source with transparency.
    const output = negotiateFormat(spec.format, undefined, limits.formats, header.hasAlpha);
    const rendered = await renderImage(bytes, spec, {
      format: output,
      image,
      watermark: request.watermark,
      maxInputPixels: maxPixels,
    });
    if (flags.output === '-') {
      process.stdout.write(rendered.data);
      return RENDER_EXIT.ok;
    }
    await writeFile(flags.output, rendered.data);
    const { width, height } = rendered;
    const summary: RenderSummary = {
      file,
      output: flags.output,
      format: output,
      width,
      height,
      bytes: rendered.data.length,
    };
    out(JSON.stringify(summary));
    return RENDER_EXIT.ok;
  } catch (error) {
    err(`${file}: ${reasonOf(error)}`);
    return RENDER_EXIT.notRendered;
  }
}

/** A refusal the user can act on says what it is; anything else is reported as it came. */
function reasonOf(error: unknown): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'no such file';
  if (error instanceof AppError || error instanceof RenditionError || error instanceof ImageRejectedError) {
    return error.message;
  }
  return String(error);
}

interface SpecRequest {
  /** The spec as JSON would give it, for `parseRenditionSpec`. */
  input: Record<string, unknown>;
  watermark?: Watermark;
}

/** The flags as a JSON spec, or the usage error to print. */
async function specRequest(flags: RenderFlags): Promise<SpecRequest | string> {
  const input: Record<string, unknown> = {};
  for (const [field, { kind }] of PARAM_ENTRIES) {
    const value = flags[field];
    if (value === undefined || value === false) continue;
    if (kind === 'region') {
      const region = regionFromText(String(value));
      if (region === undefined) return `${field}: ${REGION_TEXT}`;
      input[field] = region;
    } else if (kind === 'number' && !NUMBER.test(String(value))) {
      // Text that is no number goes on as text, for the parser to say what the field takes.
      input[field] = value;
    } else input[field] = kind === 'number' ? Number(value) : value;
  }

  const format = formatOf(flags);
  if (format.problem) return format.problem;
  if (format.value !== undefined) input.format = format.value;

  if (flags.watermark !== undefined && flags.watermarkText !== undefined) {
    return '--watermark and --watermark-text: give one of them';
  }
  let watermark: Watermark | undefined;
  if (flags.watermark !== undefined) {
    try {
      watermark = { kind: 'image', data: await readFile(flags.watermark) };
    } catch (error) {
      return `--watermark ${flags.watermark}: ${reasonOf(error)}`;
    }
    input.watermark = FILE_MARK;
  } else if (flags.watermarkText !== undefined) {
    watermark = { kind: 'text', text: flags.watermarkText };
    input.watermark = TEXT_MARK;
  }
  return { input, watermark };
}

/**
 * `--format`, else what the output's extension says; the two must agree when both are given. An extension of a
 * format the renderer cannot write (`.heic`, `.gif`...) is refused, whatever `--format` says, before anything is
 * written: `-o x.heic` wrote JPEG bytes into a file its name says is HEIC. An output without an extension takes
 * `--format` (or `auto`).
 */
function formatOf(flags: RenderFlags): { value?: string; problem?: string } {
  const extension = flags.output === '-' ? '' : extname(flags.output).toLowerCase();
  const byExtension = EXTENSION_FORMATS[extension];
  if (extension !== '' && byExtension === undefined) {
    const known = Object.keys(EXTENSION_FORMATS).join(', ');
    return {
      problem:
        `the output ${flags.output}: render writes ${OUTPUT_FORMATS.join(', ')}, not ${extension} files; ` +
        `give an output ending in ${known}, or - for stdout`,
    };
  }
  if (flags.format === undefined) return { value: byExtension };
  const given = flags.format;
  if (byExtension !== undefined && given !== 'auto' && given !== byExtension && isFormat(given)) {
    return { problem: `--format ${given} and the output ${flags.output} (${byExtension}) disagree` };
  }
  return { value: given === 'auto' && byExtension !== undefined ? byExtension : given };
}

function isFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}
