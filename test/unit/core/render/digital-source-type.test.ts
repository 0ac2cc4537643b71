import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { readExif } from '../../../../lambdas/core/analysis/exif';
import { digitalSourceTypeXmp, type RenderContext, renderImage } from '../../../../lambdas/core/render/render';
import { OUTPUT_FORMATS, type OutputFormat, type RenditionSpec } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';
import { readProvenance } from '../../../../lambdas/provenance/read-provenance';
import { xmpDigitalSourceType } from '../../../../lambdas/provenance/xmp';
import { fixture } from '../../../fixtures';
import { exifTags } from '../../../support/location-scan';
import { credentialFixtures, sourceType, xmpOnlyPng } from '../../../support/provenance';

/**
 * What a rendition keeps of where its picture comes from: by default nothing (no Content Credentials, no XMP: it is
 * a new picture, which the original's manifest does not describe); given a digital source type
 * (`renditionsKeepDigitalSourceType`), an XMP packet of that one property, which the pipeline's own reader reads back
 * as the original's summary on the XMP's word, in every output format and every way the renderer works.
 */

const spec = (extra: Partial<RenditionSpec> = {}): RenditionSpec => ({ ...RENDITION_DEFAULTS, ...extra });
const SPECS: Record<string, RenditionSpec> = {
  'a resize (one pipeline)': spec({ w: 160 }),
  'a crop and filters (passes)': spec({ w: 120, h: 120, crop: { x: 40, y: 20, w: 200, h: 150 }, median: 3, hue: 90 }),
};
const AI = sourceType('trainedAlgorithmicMedia');

let signed: Awaited<ReturnType<typeof credentialFixtures>>;
let source: Buffer;
beforeAll(async () => {
  source = await sharp(fixture('photos/pier.jpg')).resize(320, 200).jpeg().toBuffer();
  signed = await credentialFixtures(source);
});

function render(input: Buffer, wanted: RenditionSpec, format: OutputFormat, extra: Partial<RenderContext> = {}) {
  return renderImage(input, wanted, {
    format,
    image: { width: 320, height: 200 },
    maxInputPixels: 100_000_000,
    ...extra,
  });
}

describe('by default', () => {
  it('the original the renditions come from is signed and AI-generated: the checks can fail', async () => {
    expect(await readProvenance(signed.generated, 'jpeg')).toMatchObject({ summary: 'ai-generated', basis: 'c2pa' });
  });

  it.each(OUTPUT_FORMATS)('a %s rendition of a signed AI image carries no manifest and no XMP', async (to) => {
    for (const [name, wanted] of Object.entries(SPECS)) {
      const { data } = await render(signed.generated, wanted, to);
      expect({ name, provenance: await readProvenance(data, to) }).toEqual({
        name,
        provenance: { summary: 'unknown', basis: 'none' },
      });
      expect({ name, xmp: (await sharp(data).metadata()).xmp }).toEqual({ name, xmp: undefined });
      expect({ name, label: data.indexOf('c2pa') }).toEqual({ name, label: -1 });
    }
  });

  it("a rendition of an XMP-only AI PNG drops the XMP's source type with the rest", async () => {
    const png = await xmpOnlyPng(source);
    expect((await readProvenance(png, 'png')).summary).toBe('ai-generated');
    const { data } = await render(png, spec({ w: 160 }), 'png');
    expect(await readProvenance(data, 'png')).toEqual({ summary: 'unknown', basis: 'none' });
  });

  it('the thumbnails of a signed AI image carry neither manifest nor XMP', async () => {
    const { thumbnails } = await analyzeImage(signed.generated, { thumbnailSizes: [256, 64] });
    expect(thumbnails).toHaveLength(2);
    for (const { data } of thumbnails) {
      expect(await readProvenance(data, 'webp')).toEqual({ summary: 'unknown', basis: 'none' });
    }
  });
});

describe('given a digital source type (renditionsKeepDigitalSourceType)', () => {
  it.each(OUTPUT_FORMATS)('a %s rendition declares it in XMP, read back as ai-generated on its word', async (to) => {
    for (const [name, wanted] of Object.entries(SPECS)) {
      const { data } = await render(signed.generated, wanted, to, { digitalSourceType: AI });
      expect({ name, provenance: await readProvenance(data, to) }).toEqual({
        name,
        provenance: { summary: 'ai-generated', basis: 'xmp', digitalSourceType: 'trainedAlgorithmicMedia' },
      });
      expect({ name, label: data.indexOf('c2pa') }).toEqual({ name, label: -1 });
    }
  });

  it('reads back each summary a source type says: ai-edited, camera', async () => {
    const composite = sourceType('compositeWithTrainedAlgorithmicMedia');
    const edited = await render(source, spec({ w: 100 }), 'webp', { digitalSourceType: composite });
    expect((await readProvenance(edited.data, 'webp')).summary).toBe('ai-edited');
    const capture = await render(source, spec({ w: 100 }), 'jpeg', { digitalSourceType: sourceType('digitalCapture') });
    expect((await readProvenance(capture.data, 'jpeg')).summary).toBe('camera');
  });

  it('writes that one property and no other metadata: no EXIF, no GPS, none of the XMP it had', async () => {
    const withEverything = await sharp(await xmpOnlyPng(source, 'digitalCapture'))
      .jpeg()
      .withExif({
        IFD0: { Make: 'Leica', Model: 'M11-P' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '47/1 33/1 0/1' },
      })
      .toBuffer();
    const { data } = await render(withEverything, spec({ w: 160 }), 'jpeg', { digitalSourceType: AI });
    const { xmp, exif } = await sharp(data).metadata();
    expect(xmp?.toString('utf8')).toBe(digitalSourceTypeXmp(AI));
    expect(xmpDigitalSourceType(xmp)).toBe(AI);
    // sharp writes an EXIF block of its own (orientation 1) only when asked for EXIF: here it is not.
    expect(exif).toBeUndefined();
    expect(await exifTags(data)).toBeUndefined();
  });

  it('beside the position (renditionsKeepGps too): the EXIF GPS and the source type, each alone', async () => {
    const basel = { latitude: 47.56, longitude: 7.59 };
    const { data } = await render(source, spec({ w: 160 }), 'avif', { digitalSourceType: AI, gps: basel });
    const { xmp, exif } = await sharp(data).metadata();
    expect(readExif(exif, true)).toEqual({ gps: basel });
    expect(xmpDigitalSourceType(xmp)).toBe(AI);
  });

  it('escapes what it writes: an attribute cannot be closed early', () => {
    const packet = digitalSourceTypeXmp('x"/><evil a="&');
    expect(packet).toContain('rdf:resource="x&quot;/>&lt;evil a=&quot;&amp;"');
  });
});
