import sharp from 'sharp';
import { layoutText, textSvg } from '../../../../lambdas/core/render/text-svg';

const SIZE = { height: 60, maxWidth: 2000 };

/** The SVG drawn: its RGBA pixels, and how many of them are not transparent. */
async function raster(svg: Buffer) {
  const { data, info } = await sharp(svg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let drawn = 0;
  for (let alpha = 3; alpha < data.length; alpha += 4) if ((data[alpha] as number) > 0) drawn++;
  return { data, info, drawn };
}

describe('textSvg', () => {
  it('draws stroked paths only: no <text> element, no font named', () => {
    const { svg } = textSvg('© image-intel <&>"', SIZE);
    const xml = svg.toString();
    expect(xml).not.toMatch(/<text|font/i);
    expect(xml.match(/<path /g)).toHaveLength(2);
    // The text is in the strokes, never in the markup: nothing of it needs escaping.
    expect(xml).not.toContain('image');
    expect(xml).not.toContain('<&>');
  });

  it('draws visible white strokes on a dark outline, as large as it says', async () => {
    const text = textSvg('Ag', SIZE);
    const { data, info, drawn } = await raster(text.svg);
    expect([info.width, info.height]).toEqual([text.width, text.height]);
    expect(drawn).toBeGreaterThan(200);
    let white = 0;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] as number) < 128) continue;
      if ((data[i] as number) > 230) white++;
      else if ((data[i] as number) < 30) dark++;
    }
    expect(white).toBeGreaterThan(100);
    expect(dark).toBeGreaterThan(100);
  });

  it('draws a different text as different pixels', async () => {
    // Digits are all as wide: the same size (the same first and last glyph), other strokes.
    const a = await raster(textSvg('© 2025', SIZE).svg);
    const b = await raster(textSvg('© 2035', SIZE).svg);
    expect(a.info.width).toBe(b.info.width);
    expect(a.data.equals(b.data)).toBe(false);
  });

  it('draws © as a small c in a circle, neither a c alone nor an empty box', async () => {
    const circled = textSvg('©', SIZE);
    const c = textSvg('c', SIZE);
    const missing = textSvg('写', SIZE);
    expect(circled.width).toBeGreaterThan(c.width);
    // As wide as it is tall, as a circle is.
    expect(Math.abs(circled.width - circled.height)).toBeLessThanOrEqual(1);
    const pixels = await raster(circled.svg);
    expect(pixels.data.equals((await raster(missing.svg)).data)).toBe(false);
    // The middle of the circle is the c's: its left stroke at about 38 % of the width, nothing at the centre.
    const alphaAt = (fx: number, fy: number) =>
      pixels.data[
        (Math.round(fy * (pixels.info.height - 1)) * pixels.info.width + Math.round(fx * (pixels.info.width - 1))) * 4 +
          3
      ] as number;
    expect(alphaAt(0.5, 0.5)).toBe(0);
    expect(alphaAt(0.03, 0.5)).toBeGreaterThan(0);
  });

  it('gives every text of one size the same letter size, cut to its strokes', () => {
    const tall = textSvg('Hg', SIZE);
    expect(textSvg('Hgy', SIZE).height).toBe(tall.height);
    expect(tall.height).toBeLessThanOrEqual(SIZE.height);
    expect(tall.height).toBeGreaterThanOrEqual(SIZE.height - 2);
    // No descender: the same capitals, less tall an SVG.
    expect(textSvg('HH', SIZE).height).toBeLessThan(tall.height - 10);
  });

  it('shrinks a text wider than maxWidth to fit it', () => {
    const long = 'x'.repeat(100);
    const text = textSvg(long, { height: 60, maxWidth: 300 });
    expect(text.width).toBeLessThanOrEqual(300);
    expect(text.width).toBeGreaterThan(290);
    expect(text.height).toBeLessThan(10);
  });

  it('stays within a box of a pixel or two', () => {
    expect(textSvg('© image-intel', { height: 1, maxWidth: 1 })).toMatchObject({ width: 1, height: 1 });
  });

  it('refuses a text that draws nothing', () => {
    expect(() => textSvg('   ', SIZE)).toThrow(/draws nothing/);
  });
});

describe('layoutText', () => {
  it('lays the glyphs out left to right, spaces included', () => {
    const right = (text: string) => Math.max(...layoutText(text).flatMap((stroke) => stroke.map(([x]) => x)));
    expect(right('l l')).toBeGreaterThan(right('ll'));
    expect(right('lll')).toBeGreaterThan(right('ll'));
  });
});
