import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { type RenderContext, renderImage } from '../../../../lambdas/core/render/render';
import type { RenditionSpec } from '../../../../lambdas/core/render/rendition';
import { RENDITION_DEFAULTS } from '../../../../lambdas/core/render/rendition-spec';

/** The watermark test that needs a process of its own; the rest are in test/unit/core/render/render-filters.test.ts. */
const spec = (extra: Partial<RenditionSpec> = {}): RenditionSpec => ({
  ...RENDITION_DEFAULTS,
  watermarkOpacity: 1,
  ...extra,
});
const image = { width: 400, height: 400 };
const context = (extra: Partial<RenderContext> = {}): RenderContext => ({
  format: 'png',
  image,
  maxInputPixels: 100_000_000,
  ...extra,
});

describe('renderImage watermark', () => {
  /** A flat mid-grey source: anything the watermark draws stands out. */
  let grey: Buffer;
  beforeAll(async () => {
    grey = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
  });

  it('draws a text watermark with no font installed, as on AWS Lambda, the same as with fonts', async () => {
    // fontconfig reads its configuration once per process: an empty one, in a child, is a system with no font.
    // (FONTCONFIG_FILE=/dev/null is not: fontconfig rejects it and falls back to the system's configuration.)
    const dir = mkdtempSync(join(tmpdir(), 'no-fonts-'));
    writeFileSync(join(dir, 'fonts.conf'), '<?xml version="1.0"?><fontconfig></fontconfig>');
    const script = `
      const sharp = require('sharp');
      const { renderImage } = require('./lambdas/core/render/render');
      /** Width of what an SVG <text> draws with the system's sans font. */
      const inkWidth = async (text) => {
        const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="80"><text x="10" y="60" ' +
          'font-family="DejaVu Sans, sans-serif" font-size="48" fill="#fff">' + text + '</text></svg>';
        const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
        const xs = [];
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) xs.push(((i - 3) / 4) % info.width);
        return xs.length === 0 ? 0 : Math.max(...xs) - Math.min(...xs) + 1;
      };
      (async () => {
        const grey = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#808080' } })
          .png().toBuffer();
        const spec = ${JSON.stringify(spec({ w: 200, h: 200, watermark: 'credit' }))};
        const context = { format: 'png', image: { width: 400, height: 400 }, maxInputPixels: 1e8,
          watermark: { kind: 'text', text: '© image-intel' } };
        const out = await sharp((await renderImage(grey, spec, context)).data).removeAlpha().raw().toBuffer();
        let marked = 0;
        for (let i = 0; i < out.length; i += 3) if (Math.abs(out[i] - 128) > 12) marked++;
        // With a font, eight m are over three times as wide as eight i; with none, pango draws nothing or the
        // same empty box for every character (which of the two varies from run to run).
        const [i, m] = [await inkWidth('iiiiiiii'), await inkWidth('mmmmmmmm')];
        const pixels = require('node:crypto').createHash('sha256').update(out).digest('hex');
        console.log(JSON.stringify({ marked, pixels, systemFontDrawsText: i > 0 && m > 2 * i }));
      })();
    `;
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: join(__dirname, '../../../..'),
        encoding: 'utf8',
        env: { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf'), FONTCONFIG_PATH: dir },
      });
      expect(child.status).toBe(0);
      const result = JSON.parse(child.stdout.trim().split('\n').pop() as string);
      // The child has no font indeed, and the watermark is drawn all the same, pixel for pixel.
      expect(result.systemFontDrawsText).toBe(false);
      expect(result.marked).toBeGreaterThan(200);
      const here = await renderImage(
        grey,
        spec({ w: 200, h: 200, watermark: 'credit' }),
        context({ image, watermark: { kind: 'text', text: '© image-intel' } }),
      );
      const pixels = await sharp(here.data).removeAlpha().raw().toBuffer();
      expect(result.pixels).toBe(createHash('sha256').update(pixels).digest('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
