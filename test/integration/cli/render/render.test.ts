import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { PARAM_ENTRIES } from '../../../../lambdas/core/render/rendition-params';
import { fixturePath } from '../../../fixtures';
import { run } from '../run-cli';

const dir = mkdtempSync(join(tmpdir(), 'image-intel-render-'));
const PIER = fixturePath('photos/pier.jpg');
const out = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('image-intel render', () => {
  it('writes the rendition the flags describe and prints one JSON line about it', async () => {
    const output = out('pier.avif');
    const { code, stdout, stderr } = await run(
      'render',
      PIER,
      '--w',
      '400',
      '--h',
      '300',
      '--fit',
      'cover',
      '-o',
      output,
    );
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual({
      file: PIER,
      output,
      format: 'avif',
      width: 400,
      height: 300,
      bytes: expect.any(Number),
    });
    const meta = await sharp(readFileSync(output)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['heif', 400, 300]);
    expect(meta.compression).toBe('av1');
  });

  it('draws a local image file as the watermark', async () => {
    const plain = out('plain.png');
    const marked = out('marked.png');
    const flags = ['--w', '200', '--h', '200', '--format', 'png'];
    expect((await run('render', PIER, ...flags, '-o', plain)).code).toBe(0);
    const watermark = fixturePath('formats/alpha.png');
    const { code } = await run(
      'render',
      PIER,
      ...flags,
      '--watermark',
      watermark,
      '--watermark-opacity',
      '1',
      '-o',
      marked,
    );
    expect(code).toBe(0);
    // The watermark sits in the south-east corner by default: that corner changed, the north-west one did not.
    const corner = (file: string, left: number, top: number) =>
      sharp(file).removeAlpha().extract({ left, top, width: 20, height: 20 }).raw().toBuffer();
    const difference = async (left: number, top: number) => {
      const [a, b] = await Promise.all([corner(plain, left, top), corner(marked, left, top)]);
      return a.reduce((sum, value, i) => sum + Math.abs(value - (b[i] as number)), 0) / a.length;
    };
    expect(await difference(160, 160)).toBeGreaterThan(20);
    expect(await difference(0, 0)).toBeLessThan(1);
  });

  it('applies every kind of parameter: crop, rotate, flip, filters, quality', async () => {
    const output = out('crop.jpg');
    const { code, stdout } = await run(
      'render',
      PIER,
      '--crop',
      '100,50,400,200',
      '--rotate',
      '90',
      '--flop',
      '--grayscale',
      '--blur',
      '1.5',
      '--contrast',
      '1.2',
      '--q',
      '60',
      '-o',
      output,
    );
    expect(code).toBe(0);
    // The 400 x 200 crop, turned a quarter: 200 x 400, one grey channel.
    expect(JSON.parse(stdout)).toMatchObject({ format: 'jpeg', width: 200, height: 400 });
    expect((await sharp(output).metadata()).channels).toBe(1);
  });

  it('has a flag, with its help, for each rendition parameter', async () => {
    const { code, stdout } = await run('render', '--help');
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const [field, { cli }] of PARAM_ENTRIES) {
      const flag = `--${field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
      expect(help).toContain(`${flag}${cli.value ? ` <${cli.value}>` : ''} ${cli.help}`);
    }
  });

  it('starts from a preset and writes the image itself to stdout with -o -', async () => {
    const { code, stdout } = await run('render', PIER, '--preset', 'avatar', '--format', 'webp', '-o', '-');
    expect(code).toBe(0);
    expect(stdout.slice(0, 4)).toBe('RIFF');
  });

  it.each([
    [['--w', '0'], 'w: must be a whole number of pixels, at least 1'],
    [['--w', 'abc'], 'w: must be a whole number of pixels, at least 1, got the text "abc"'],
    [['--w', '100000'], 'w: 100000 px is over the largest side this deployment renders (renditionMaxSide 4096)'],
    [['--fit', 'square'], 'fit: must be one of cover, contain, fill, inside, outside'],
    [['--median', '4'], 'median: must be an odd whole number from 3 to 9'],
    [['--crop', '1,2,3'], 'crop: must be x,y,w,h: four whole numbers of pixels'],
    [['--watermark-opacity', '0.5'], 'watermarkOpacity: only applies with watermark (a watermark name)'],
    [['--format', 'avif', '-o', 'x.jpg'], '--format avif and the output x.jpg (jpeg) disagree'],
    [
      ['-o', 'x.heic'],
      'the output x.heic: render writes jpeg, png, webp, avif, not .heic files; give an output ending in .jpg, .jpeg, .png, .webp, .avif, or - for stdout',
    ],
    [
      ['--format', 'jpeg', '-o', 'x.gif'],
      'the output x.gif: render writes jpeg, png, webp, avif, not .gif files; give an output ending in .jpg, .jpeg, .png, .webp, .avif, or - for stdout',
    ],
  ])('refuses %j as a usage error (exit 2) with the API message', async (flags, message) => {
    const { code, stderr } = await run('render', PIER, '-o', out('never.jpg'), ...flags);
    expect(code).toBe(2);
    expect(stderr).toBe(`image-intel: ${message}\n`);
  });

  it('writes nothing for an output whose extension it cannot honour, and lets a known one pick the format', async () => {
    const heic = out('photo.heic');
    expect((await run('render', PIER, '--w', '100', '-o', heic)).code).toBe(2);
    expect(() => readFileSync(heic)).toThrow(/ENOENT/);
    const webp = await run('render', PIER, '--w', '100', '-o', out('small.webp'));
    expect(webp.code).toBe(0);
    expect((await sharp(readFileSync(out('small.webp'))).metadata()).format).toBe('webp');
  });

  it('exits 1 for a spec the file cannot take, a file that is not an image, and a missing file', async () => {
    const crop = await run('render', PIER, '--crop', '1200,0,200,10', '-o', out('x.jpg'));
    expect([crop.code, crop.stderr]).toEqual([
      1,
      `image-intel: ${PIER}: crop: x 1200 + w 200 = 1400 is past the image's width of 1280 px\n`,
    ]);
    const animated = fixturePath('formats/animated.gif');
    const marked = await run('render', animated, '--watermark-text', '© me', '-o', out('x.webp'));
    expect([marked.code, marked.stderr]).toEqual([
      1,
      `image-intel: ${animated}: watermark: not drawn on animated images, and this one is animated\n`,
    ]);
    const text = fixturePath('bad/text.jpg');
    expect((await run('render', text, '-o', out('x.png'))).stderr).toBe(
      `image-intel: ${text}: not an image in a format we decode\n`,
    );
    expect((await run('render', join(dir, 'missing.jpg'), '-o', out('x.png'))).code).toBe(1);
  });
});
