import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { AnalysisRecordSchema } from '../../../../lambdas/core/record';
import { generate, loadCorpus } from '../../../fuzz/engine';
import { FINDINGS_DIR } from '../../../fuzz/findings';
import { chunk } from '../../../fuzz/formats/png';
import { describeVerdict, FUZZ_ANALYZE_OPTIONS, judge, type Verdict } from '../../../fuzz/judge';
import { FUZZ_FORMATS } from '../../../fuzz/mutation';

/** Fixed, so a failure here replays with `npx tsx test/fuzz/run.ts --format F --seed 20240501 --only I`. */
const SEED = 20240501;
const PER_FORMAT = 40;
const BOUND_MS = 5000;
/** The runner's options with one small, quick thumbnail: the decoders are under test here, not the WebP encoder. */
const QUICK = { ...FUZZ_ANALYZE_OPTIONS, thumbnailSizes: [128], webpEffort: 0 };

/** Every committed input under test/fixtures/fuzz (found failures and the extra seeds), not the notes. */
function committedInputs(dir = FINDINGS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? committedInputs(join(dir, entry.name)) : [join(dir, entry.name)]))
    .filter((path) => !/\.(json|md)$/.test(path))
    .sort();
}

// libheif-js reports each HEIF it cannot decode with console.log; hundreds of them would bury the test report.
beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => {}));
afterAll(() => jest.restoreAllMocks());

describe('short fuzz of analyzeImage', () => {
  it.each(FUZZ_FORMATS)(
    `ends every one of ${PER_FORMAT} mutated %s inputs PROCESSED or REJECTED within 5 s`,
    async (format) => {
      const corpus = loadCorpus([format]);
      const problems: string[] = [];
      const kinds = new Set<Verdict['kind']>();
      for (let iteration = 0; iteration < PER_FORMAT; iteration++) {
        const fuzzCase = generate(corpus, SEED, iteration);
        const started = performance.now();
        const verdict = await judge(fuzzCase.bytes, QUICK);
        const ms = performance.now() - started;
        kinds.add(verdict.kind);
        if (verdict.kind === 'PROCESSED' || verdict.kind === 'REJECTED') {
          if (ms > BOUND_MS) problems.push(`--only ${iteration}: ${Math.round(ms)} ms`);
        } else {
          problems.push(`--only ${iteration}: ${describeVerdict(verdict)} (${fuzzCase.mutations.join(' | ')})`);
        }
      }
      expect(problems).toEqual([]);
      // The mutations must reach past the sniffer: some inputs still decode, some are refused.
      expect([...kinds].sort()).toEqual(['PROCESSED', 'REJECTED']);
    },
    60_000,
  );
});

describe('committed fuzz inputs', () => {
  it.each(committedInputs().map((path) => relative(FINDINGS_DIR, path)))(
    '%s ends PROCESSED or REJECTED',
    async (file) => {
      const verdict = await judge(readFileSync(join(FINDINGS_DIR, file)), QUICK);
      expect(describeVerdict(verdict)).toMatch(/^(PROCESSED|REJECTED)/);
    },
  );
});

describe('regressions found by the fuzzer', () => {
  it('keeps colour and alpha of a TIFF whose extra samples decode to five bands (tiff-s3-i7)', async () => {
    const { record, thumbnails } = await analyzeImage(readFileSync(join(FINDINGS_DIR, 'tiff-s3-i7.tiff')));
    expect(record).toMatchObject({ status: 'PROCESSED', metadata: { colorSpace: 'b-w', hasAlpha: true } });
    expect(thumbnails.length).toBeGreaterThan(0);
  });

  it.each([
    ['jpeg-s31-i54.jpg', 1, 30000],
    ['gif-s31-i2399.gif', 1, 30000],
  ])('gives %s, a %ix%i sliver, a positive aspect ratio its record schema accepts', async (file, width, height) => {
    const { record } = await analyzeImage(readFileSync(join(FINDINGS_DIR, file)));
    expect(AnalysisRecordSchema.parse(record)).toMatchObject({ metadata: { width, height } });
    expect(record).toMatchObject({ metadata: { aspectRatio: 0.00003333 } });
  });

  it('leaves out a GPS altitude whose denominator is zero, keeping the position (webp-s31-i7579)', async () => {
    const { record } = await analyzeImage(readFileSync(join(FINDINGS_DIR, 'webp-s31-i7579.webp')), {
      includeGps: true,
    });
    const position = { latitude: expect.any(Number), longitude: expect.any(Number) };
    expect(AnalysisRecordSchema.parse(record)).toMatchObject({ metadata: { exif: { gps: position } } });
    expect(JSON.stringify(record)).not.toContain('altitude');
  });

  it('refuses from the header the AVIF whose extents claim 15663332x1, which peaked at 1.1 GB (avif-s2024-i56103)', async () => {
    const { record } = await analyzeImage(readFileSync(join(FINDINGS_DIR, 'avif-s2024-i56103.avif')));
    expect(record).toMatchObject({ status: 'REJECTED', rejection: { code: 'PIXEL_LIMIT_EXCEEDED' } });
  });

  it('refuses a 99,000,000 x 1 PNG from its header, before a row of it is decoded', async () => {
    const header = Buffer.alloc(13);
    header.writeUInt32BE(99_000_000, 0);
    header.writeUInt32BE(1, 4);
    header.set([8, 2, 0, 0, 0], 8);
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      chunk('IHDR', header),
      chunk('IDAT', Buffer.alloc(0)),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const { record } = await analyzeImage(png);
    expect(record).toMatchObject({ status: 'REJECTED', rejection: { code: 'PIXEL_LIMIT_EXCEEDED' } });
    expect(record.status === 'REJECTED' && record.rejection.message).toMatch(/side over the 65535 px limit/);
  });

  it('still processes a strip 65,535 px wide, the longest side allowed', async () => {
    const strip = await sharp({ create: { width: 65_535, height: 2, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const { record } = await analyzeImage(strip, QUICK);
    expect(record).toMatchObject({ status: 'PROCESSED', metadata: { width: 65_535, height: 2 } });
  });
});
