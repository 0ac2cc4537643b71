/**
 * How much of the gap is the encoder settings rather than the source: ours encodes AVIF at effort 1
 * (lambdas/core/render/render.ts, `encode`), the reference pipeline with sharp's defaults (`toFormat`: AVIF effort 4);
 * JPEG and WebP are encoded alike. Each request's output raster is encoded both ways, the two alternating, several
 * times; the medians and sizes go in the report beside the end-to-end figures.
 */
import sharp from 'sharp';
import type { OutputFormat } from '../../lambdas/core/render/rendition';
import { median } from '../../test/support/stats';
import type { MixRequest } from './requests';

export interface EncoderRow {
  request: string;
  format: OutputFormat;
  width: number;
  height: number;
  ours: { settings: string; ms: number; kb: number };
  reference: { settings: string; ms: number; kb: number };
}

type Encoder = { settings: string; encode: (image: sharp.Sharp) => sharp.Sharp };

/**
 * Mirrors render.ts's `encode`, which it does not export: keep the two in step (render.ts's comment above
 * `DEFAULT_QUALITY` says why each setting is what it is).
 */
function oursEncoder(format: OutputFormat, quality: number): Encoder {
  if (format === 'jpeg') return { settings: `jpeg q${quality}`, encode: (i) => i.jpeg({ quality }) };
  if (format === 'webp')
    return { settings: `webp q${quality} effort 4`, encode: (i) => i.webp({ quality, effort: 4 }) };
  if (format === 'avif')
    return { settings: `avif q${quality} effort 1`, encode: (i) => i.avif({ quality, effort: 1 }) };
  return { settings: 'png level 6', encode: (i) => i.png({ compressionLevel: 6 }) };
}

/** The reference pipeline's `modifyImageOutput`: `toFormat(format)`, i.e. sharp's defaults for that format. */
function referenceEncoder(format: OutputFormat): Encoder {
  const defaults: Record<OutputFormat, string> = {
    jpeg: 'jpeg q80 (sharp default)',
    webp: 'webp q80 effort 4 (sharp default)',
    avif: 'avif q50 effort 4 (sharp default)',
    png: 'png (sharp default)',
  };
  return { settings: defaults[format], encode: (i) => i.toFormat(format) };
}

/** Both encoders on the same raster, alternating so that machine noise hits both alike; median ms and size. */
async function timeBoth(raw: { data: Buffer; info: sharp.OutputInfo }, encoders: [Encoder, Encoder], repeats: number) {
  const { width, height, channels } = raw.info;
  const runs = encoders.map(() => ({ times: [] as number[], bytes: 0 }));
  for (let i = 0; i < repeats; i++) {
    for (const [index, encoder] of encoders.entries()) {
      const run = runs[index] as (typeof runs)[number];
      const started = performance.now();
      const out = await encoder.encode(sharp(raw.data, { raw: { width, height, channels } })).toBuffer();
      run.times.push(performance.now() - started);
      run.bytes = out.length;
    }
  }
  return runs.map((run, index) => ({
    settings: (encoders[index] as Encoder).settings,
    ms: median(run.times),
    kb: run.bytes / 1024,
  })) as [EncoderRow['ours'], EncoderRow['reference']];
}

/** For each request, its output raster (decoded from `outputs`, one rendition per request) encoded both ways. */
export async function compareEncoders(
  mix: MixRequest[],
  outputs: Map<string, Buffer>,
  repeats = 7,
): Promise<EncoderRow[]> {
  const rows: EncoderRow[] = [];
  for (const request of mix) {
    const output = outputs.get(request.name);
    if (!output) continue;
    const format = request.spec.format as OutputFormat;
    const raw = await sharp(output).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const encoders: [Encoder, Encoder] = [oursEncoder(format, request.spec.q ?? 80), referenceEncoder(format)];
    const [ours, reference] = await timeBoth(raw, encoders, repeats);
    rows.push({ request: request.name, format, width: raw.info.width, height: raw.info.height, ours, reference });
  }
  return rows;
}
