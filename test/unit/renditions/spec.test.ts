import {
  COMPASS,
  FILTERS,
  FITS,
  KERNELS,
  largestOutputSide,
  OUTPUT_FORMATS,
  type RenditionSpec,
} from '../../../lambdas/core/render/rendition';
import { SPEC_FIELDS } from '../../../lambdas/core/render/rendition-params';
import {
  RENDITION_DEFAULTS,
  type RenditionLimits,
  type RenditionSpecInput,
} from '../../../lambdas/core/render/rendition-spec';
import {
  canonicalQuery,
  negotiateFormat,
  RENDITION_QUERY_NAMES,
  renditionKey,
  renditionPrefix,
  renditionVersion,
  SIGNATURE_QUERY_NAMES,
  specFromQuery,
} from '../../../lambdas/renditions/query';
import { checkAgainstImage, parseRenditionSpec } from '../../../lambdas/renditions/spec';
import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../../lambdas/settings';
import { type RenditionPresets, RenditionPresetsSchema, renditionLimitsOf } from '../../../lambdas/settings/renditions';
import { seededRandom } from '../../../lambdas/shared/seeded-random';
import { badRequest } from '../../support/errors';

const LIMITS: RenditionLimits = { ...renditionLimitsOf(DEFAULT_SETTINGS), watermarks: ['logo', 'credit'] };
const PRESETS: RenditionPresets = {
  card: { w: 400, h: 300, format: 'webp', flip: true, eager: true },
  avatar: { w: 128, h: 128, gravity: 'smart' },
};
const IMAGE_ID = '01J0000000000000000000000A';
const spec = (input: RenditionSpecInput = {}) => parseRenditionSpec(input, LIMITS, PRESETS);
const query = (text: string, limits = LIMITS) => specFromQuery(text, limits, PRESETS);

describe('parseRenditionSpec', () => {
  it('fills in every default', () => {
    expect(spec({})).toEqual(RENDITION_DEFAULTS);
    expect(RENDITION_DEFAULTS).toMatchObject({ fit: 'cover', dpr: 1, gravity: 'center', format: 'auto', rotate: 0 });
    expect(RENDITION_DEFAULTS).toMatchObject({ watermarkGravity: 'southeast', watermarkOpacity: 0.5, flip: false });
  });

  it('keeps what is given', () => {
    const input = {
      w: 400,
      h: 300,
      fit: 'inside',
      dpr: 1.5,
      enlarge: true,
      gravity: 'smart',
      crop: { x: 0, y: 10, w: 20, h: 30 },
      format: 'avif',
      q: 55,
      rotate: 270,
      flip: true,
      flop: true,
      blur: 0.3,
      sharpen: 10,
      grayscale: true,
      normalize: true,
      brightness: 0,
      saturation: 4,
      hue: 120,
      contrast: 1.2,
      median: 9,
      kernel: 'emboss',
      watermark: 'logo',
      watermarkGravity: 'north',
      watermarkOpacity: 1,
    } as const;
    expect(spec(input)).toEqual(input);
  });

  it('turns hue into 0-359 degrees, since sharp rotates modulo 360', () => {
    expect(spec({ hue: -90 }).hue).toBe(270);
    expect(spec({ hue: 360 }).hue).toBe(0);
    expect(spec({ hue: -360 }).hue).toBe(0);
  });

  it('expands a preset and lets explicit fields override it', () => {
    expect(spec({ preset: 'card', format: 'avif', flip: false })).toEqual({
      ...RENDITION_DEFAULTS,
      w: 400,
      h: 300,
      format: 'avif',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['a width of 0', { w: 0 }, /^w: must be a whole number of pixels, at least 1$/],
    ['a negative height', { h: -5 }, /^h: must be a whole number of pixels, at least 1$/],
    ['a fractional width', { w: 10.5 }, /^w: must be a whole number of pixels/],
    ['a width as a string', { w: '400' }, /^w: must be a whole number of pixels, at least 1, got the text "400"$/],
    ['a null height', { h: null }, /^h: .*got null$/],
    ['an unknown field', { width: 400 }, /^spec: unknown field "width" \(known: w, h, fit/],
    [
      'an unknown crop field',
      { crop: { x: 0, y: 0, w: 1, h: 1, z: 2 } },
      /^crop: unknown field "z" \(known: x, y, w, h\)/,
    ],
    [
      'a negative crop origin',
      { crop: { x: -1, y: 0, w: 1, h: 1 } },
      /^crop\.x: must be a whole number of pixels, at least 0/,
    ],
    ['an empty crop', { crop: { x: 0, y: 0, w: 0, h: 1 } }, /^crop\.w: must be a whole number of pixels, at least 1/],
    ['a dpr of 4', { dpr: 4 }, /^dpr: must be a number from 1 to 3$/],
    ['a quality of 0', { q: 0 }, /^q: must be a whole number from 1 to 100$/],
    ['a quality of 101', { q: 101 }, /^q: must be a whole number from 1 to 100$/],
    ['a blur under 0.3', { blur: 0.2 }, /^blur: must be a number from 0.3 to 100$/],
    ['a sharpen over 10', { sharpen: 11 }, /^sharpen: must be a number from 0.5 to 10$/],
    ['a brightness over 4', { brightness: 4.5 }, /^brightness: must be a number from 0 to 4$/],
    ['a negative saturation', { saturation: -1 }, /^saturation: must be a number from 0 to 4$/],
    ['a hue over 360', { hue: 361 }, /^hue: must be a whole number from -360 to 360 degrees$/],
    ['an even median', { median: 4 }, /^median: must be an odd whole number from 3 to 9$/],
    ['a rotation of 45', { rotate: 45 }, /^rotate: must be 0, 90, 180 or 270$/],
    ['an unknown fit', { fit: 'stretch' }, /^fit: must be one of cover, contain, fill, inside, outside/],
    ['an unknown kernel', { kernel: 'sobel' }, /^kernel: must be one of edge, emboss, contour/],
    [
      'a watermark opacity over 1',
      { watermark: 'logo', watermarkOpacity: 2 },
      /^watermarkOpacity: must be a number from 0 to 1$/,
    ],
    [
      'a watermark gravity of smart',
      { watermark: 'logo', watermarkGravity: 'smart' },
      /^watermarkGravity: must be one of/,
    ],
    ['a flag as a number', { flip: 1 }, /^flip: must be true or false, got 1$/],
    ['an array', [], /^spec: must be a JSON object$/],
    ['a text', 'w=400', /^spec: must be a JSON object$/],
  ])('refuses %s with a 400 naming the field', (_, input, message) => {
    expect(badRequest(() => parseRenditionSpec(input, LIMITS))).toMatch(message);
  });

  it('names every bad field at once', () => {
    const message = badRequest(() => spec({ w: 0, q: 500 } as RenditionSpecInput));
    expect(message).toContain('w: ');
    expect(message).toContain('q: ');
  });

  it('lists at most five unknown fields, so a spec of junk keys gets a short answer', () => {
    const junk = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`junk${i}`, i]));
    const message = badRequest(() => spec(junk));
    expect(message).toContain('and 195 more');
    expect(message.length).toBeLessThan(500);
  });

  it('refuses watermark placement without a watermark', () => {
    expect(badRequest(() => spec({ watermarkOpacity: 0.2 }))).toBe(
      'watermarkOpacity: only applies with watermark (a watermark name)',
    );
  });

  it('refuses an unknown preset, including names Object.prototype has', () => {
    expect(badRequest(() => spec({ preset: 'hero' }))).toBe('preset: no preset named hero (presets: card, avatar)');
    expect(badRequest(() => spec({ preset: 'constructor' }))).toMatch(/^preset: no preset named constructor/);
  });

  describe("the deployment's limits", () => {
    it('refuses a width of 100000 naming renditionMaxSide', () => {
      expect(badRequest(() => spec({ w: 100_000 }))).toBe(
        'w: 100000 px is over the largest side this deployment renders (renditionMaxSide 4096)',
      );
    });

    it('counts the dpr in the largest side', () => {
      expect(spec({ w: 2048, dpr: 2 }).w).toBe(2048);
      expect(badRequest(() => spec({ h: 2049, dpr: 2 }))).toBe(
        'h: 2049 px × dpr 2 = 4098 px is over the largest side this deployment renders (renditionMaxSide 4096)',
      );
    });

    it('refuses a dpr over renditionMaxDpr', () => {
      expect(badRequest(() => parseRenditionSpec({ dpr: 2.5 }, { ...LIMITS, maxDpr: 2 }))).toBe(
        'dpr: 2.5 is over the largest this deployment allows (renditionMaxDpr 2)',
      );
    });

    it('refuses a format not allowed, and allows auto', () => {
      const limits = { ...LIMITS, formats: ['jpeg', 'webp'] as const };
      expect(badRequest(() => parseRenditionSpec({ format: 'avif' }, limits))).toBe(
        'format: avif is not allowed here (renditionFormats: jpeg, webp)',
      );
      expect(parseRenditionSpec({ format: 'auto' }, limits).format).toBe('auto');
    });

    it('refuses each filter not allowed', () => {
      const limits = { ...LIMITS, filters: ['blur'] as const };
      expect(parseRenditionSpec({ blur: 3, grayscale: false }, limits).blur).toBe(3);
      expect(badRequest(() => parseRenditionSpec({ grayscale: true, kernel: 'edge' }, limits))).toBe(
        'kernel: the kernel filter is not allowed here (renditionFilters: blur); ' +
          'grayscale: the grayscale filter is not allowed here (renditionFilters: blur)',
      );
    });

    it('refuses a watermark that is not configured', () => {
      expect(badRequest(() => spec({ watermark: 'stamp' }))).toBe(
        'watermark: no watermark named stamp (watermarks: logo, credit)',
      );
      expect(badRequest(() => parseRenditionSpec({ watermark: 'logo' }, { ...LIMITS, watermarks: [] }))).toBe(
        'watermark: no watermark named logo (watermarks: none is configured)',
      );
    });
  });
});

describe('specFromQuery', () => {
  it('reads the grammar example', () => {
    const text =
      'w=400&h=300&fit=cover&dpr=2&gravity=smart&crop=10,20,300,200&format=webp&q=80&rotate=90&flip&blur=2' +
      '&kernel=edge&wm=logo&wmg=southeast&wmo=0.5&preset=card';
    expect(query(text)).toEqual({
      ...RENDITION_DEFAULTS,
      w: 400,
      h: 300,
      dpr: 2,
      gravity: 'smart',
      crop: { x: 10, y: 20, w: 300, h: 200 },
      format: 'webp',
      q: 80,
      rotate: 90,
      flip: true,
      blur: 2,
      kernel: 'edge',
      watermark: 'logo',
    });
  });

  it('reads the same spec from a query as from JSON', () => {
    expect(query('?w=400&crop=1,2,3,4&wm=logo&wmo=0.25&grayscale=true')).toEqual(
      spec({ w: 400, crop: { x: 1, y: 2, w: 3, h: 4 }, watermark: 'logo', watermarkOpacity: 0.25, grayscale: true }),
    );
  });

  it('lets explicit parameters override the preset, flags included', () => {
    expect(query('preset=card&format=avif&flip=false&w=200')).toEqual({
      ...spec({ preset: 'card' }),
      format: 'avif',
      flip: false,
      w: 200,
    });
    expect(query('flip=0').flip).toBe(false);
    expect(query('flip=1&flop=').flop).toBe(true);
  });

  it('skips the signature parameters', () => {
    expect(query('w=10&exp=1&kid=k&sig=abc')).toEqual(spec({ w: 10 }));
    expect(SIGNATURE_QUERY_NAMES).toEqual(['exp', 'kid', 'sig']);
  });

  it('knows every name it lists for the cache policy, and only those', () => {
    // The names canonical URLs of random specs are written with, each read back by the parser; and the preset.
    const random = seededRandom(20260523);
    const written = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const text = canonicalQuery(spec(randomInput(random)));
      expect(() => query(text)).not.toThrow();
      for (const param of text.split('&').filter(Boolean)) written.add(param.split('=')[0] ?? '');
    }
    expect(() => query('preset=avatar')).not.toThrow();
    expect([...written, 'preset'].sort()).toEqual([...RENDITION_QUERY_NAMES].sort());
    expect(new Set(RENDITION_QUERY_NAMES).size).toBe(RENDITION_QUERY_NAMES.length);
  });

  it.each<[string, string, RegExp]>([
    ['NaN', 'w=NaN', /^w: must be a number, got "NaN"$/],
    ['a word where a number goes', 'h=tall', /^h: must be a number, got "tall"$/],
    ['Infinity', 'dpr=Infinity', /^dpr: must be a number, got "Infinity"$/],
    ['an empty number', 'w=', /^w: must be a number, got ""$/],
    ['0', 'w=0', /^w: must be a whole number of pixels, at least 1$/],
    ['a negative height', 'h=-20', /^h: must be a whole number of pixels, at least 1$/],
    ['100000', 'w=100000', /^w: 100000 px is over the largest side this deployment renders \(renditionMaxSide 4096\)$/],
    ['a crop of three numbers', 'crop=1,2,3', /^crop: must be x,y,w,h: four whole numbers of pixels, got "1,2,3"$/],
    ['a negative crop', 'crop=-1,0,5,5', /^crop: must be x,y,w,h/],
    ['an unknown parameter', 'w=1&width=2', /^"width": unknown parameter \(known: w, h, fit, dpr/],
    ['a repeated parameter', 'w=1&w=2', /^w: given more than once$/],
    ['a flag with a value', 'flip=yes', /^flip: must be given bare, or as true, false, 1 or 0, got "yes"$/],
    ['a long name for a short parameter', 'watermark=logo', /^"watermark": unknown parameter/],
    ['a format not allowed', 'format=gif', /^format: must be one of jpeg, png, webp, avif, auto$/],
    ['an unknown watermark', 'wm=stamp', /^wm: no watermark named stamp \(watermarks: logo, credit\)$/],
    ['wmo without wm', 'wmo=0.3', /^wmo: only applies with wm \(a watermark name\)$/],
    ['an unknown preset', 'preset=banner', /^preset: no preset named banner \(presets: card, avatar\)$/],
  ])('refuses %s with a 400 naming the parameter', (_, text, message) => {
    expect(badRequest(() => query(text))).toMatch(message);
  });

  it('refuses a query too long to be a spec before parsing it', () => {
    expect(badRequest(() => query(`w=1&${'x'.repeat(10_000)}`))).toBe(
      'query: 10004 characters, over the 1024 a rendition takes',
    );
  });

  it('refuses a format or filter the deployment does not allow', () => {
    const limits = { ...LIMITS, formats: ['jpeg'] as const, filters: [] };
    expect(badRequest(() => query('format=png&blur=2', limits))).toBe(
      'format: png is not allowed here (renditionFormats: jpeg); blur: the blur filter is not allowed here (renditionFilters: none)',
    );
  });
});

describe('canonicalQuery', () => {
  it('writes the parameters in one order, defaults left out, numbers in their shortest form', () => {
    const one = query('q=80&format=webp&hue=-90&dpr=2.0&flip=true&w=400&fit=cover&gravity=center&wmo=0.5&wm=logo');
    const two = query('w=400&dpr=2&flip&hue=270&wm=logo&format=webp&q=080&enlarge=false');
    expect(canonicalQuery(one)).toBe('w=400&dpr=2&flip&hue=270&wm=logo&format=webp&q=80');
    expect(canonicalQuery(two)).toBe(canonicalQuery(one));
  });

  it('spells a spec with every parameter as the URLs already signed spell it', () => {
    const every = spec({
      ...{ w: 400, h: 300, fit: 'inside', dpr: 1.5, enlarge: true, gravity: 'smart' },
      ...{ crop: { x: 1, y: 2, w: 3000, h: 2000 }, rotate: 90, flip: true, flop: true, blur: 2.5, sharpen: 1 },
      ...{ median: 3, kernel: 'edge', grayscale: true, normalize: true, brightness: 1.2, saturation: 0.5, hue: -90 },
      ...{ contrast: 1.1, watermark: 'logo', watermarkGravity: 'north', watermarkOpacity: 0.25, format: 'webp', q: 80 },
    });
    expect(canonicalQuery(every)).toBe(
      'w=400&h=300&fit=inside&dpr=1.5&enlarge&gravity=smart&crop=1,2,3000,2000&rotate=90&flip&flop&blur=2.5' +
        '&sharpen=1&median=3&kernel=edge&grayscale&normalize&brightness=1.2&saturation=0.5&hue=270&contrast=1.1' +
        '&wm=logo&wmg=north&wmo=0.25&format=webp&q=80',
    );
  });

  it('is empty for the default spec', () => {
    expect(canonicalQuery(spec())).toBe('');
  });

  it('reads back to the same spec, for 500 random specs', () => {
    const random = seededRandom(20260522);
    const given = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const input = randomInput(random);
      for (const field of Object.keys(input)) given.add(field);
      const parsed = spec(input);
      const text = canonicalQuery(parsed);
      expect(query(text)).toEqual(parsed);
      // Any other order of the same parameters is the same spec, so the same canonical text.
      const shuffled = shuffle(text.split('&'), random).join('&');
      expect(canonicalQuery(query(shuffled))).toBe(text);
    }
    // Every parameter of the table, a new one included, is in the round trip.
    expect([...given].sort()).toEqual([...SPEC_FIELDS].sort());
  });
});

describe('checkAgainstImage', () => {
  /** The image's size and frames, and the largest side (default: WebP's limit, so it does not decide). */
  const against = (
    input: RenditionSpec,
    width: number,
    height: number,
    check: { animated?: boolean; maxSide?: number } = {},
  ) => checkAgainstImage(input, { width, height, animated: check.animated }, { maxSide: check.maxSide ?? 16_383 });

  it('accepts a crop inside the image', () => {
    expect(() => against(spec({ crop: { x: 1180, y: 700, w: 100, h: 100 } }), 1280, 800)).not.toThrow();
  });

  it('refuses a crop past the right or bottom edge', () => {
    expect(badRequest(() => against(spec({ crop: { x: 1200, y: 750, w: 100, h: 60 } }), 1280, 800))).toBe(
      "crop: x 1200 + w 100 = 1300 is past the image's width of 1280 px; " +
        "crop: y 750 + h 60 = 810 is past the image's height of 800 px",
    );
  });

  it('refuses a crop entirely outside the image', () => {
    expect(badRequest(() => against(spec({ crop: { x: 5000, y: 0, w: 1, h: 1 } }), 1280, 800))).toMatch(
      /^crop: x 5000/,
    );
  });

  it('refuses a watermark on an animated image', () => {
    const marked = spec({ watermark: 'logo' });
    expect(() => against(marked, 100, 100)).not.toThrow();
    expect(badRequest(() => against(marked, 100, 100, { animated: true }))).toBe(
      'watermark: not drawn on animated images, and this one is animated',
    );
  });

  it('refuses an output whose derived side is over the largest side', () => {
    const message = badRequest(() => against(spec({ w: 1000 }), 1000, 16_000, { maxSide: 4096 }));
    expect(message).toBe(
      'w, h: this spec makes a 16000 px side from the 1000 × 16000 image, over the largest side this deployment ' +
        'renders (renditionMaxSide 4096): give a smaller w or h',
    );
    expect(() => against(spec({ w: 1000, h: 1000 }), 1000, 16_000, { maxSide: 4096 })).not.toThrow();
  });

  it('refuses no size at all on an image larger than the largest side', () => {
    expect(badRequest(() => against(spec(), 6000, 4000, { maxSide: 4096 }))).toMatch(/makes a 6000 px side/);
    expect(() =>
      against(spec({ crop: { x: 0, y: 0, w: 4000, h: 4000 } }), 6000, 4000, { maxSide: 4096 }),
    ).not.toThrow();
  });
});

describe('largestOutputSide', () => {
  it.each<[string, RenditionSpecInput, number, number, number]>([
    ['no size: the source', {}, 1280, 800, 1280],
    ['no size: the crop', { crop: { x: 0, y: 0, w: 300, h: 200 } }, 1280, 800, 300],
    ['a width keeps the aspect ratio', { w: 640 }, 1280, 800, 640],
    ['a height keeps the aspect ratio', { h: 400 }, 1280, 800, 640],
    ['never up without enlarge', { w: 3000 }, 1280, 800, 1280],
    ['up with enlarge', { w: 2560, enlarge: true }, 1280, 800, 2560],
    ['dpr multiplies', { w: 320, dpr: 2 }, 1280, 800, 640],
    ['cover is the box', { w: 300, h: 300 }, 1280, 800, 300],
    ['inside fits the box', { w: 300, h: 300, fit: 'inside' }, 1280, 800, 300],
    ['outside covers the box', { w: 300, h: 300, fit: 'outside' }, 1280, 800, 480],
    ['rotate turns the source before the width applies', { w: 400, rotate: 90 }, 1280, 800, 640],
  ])('%s', (_, input, width, height, side) => {
    expect(largestOutputSide(spec(input), width, height)).toBe(side);
  });
});

describe('negotiateFormat', () => {
  const ALL = OUTPUT_FORMATS;
  const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

  it.each<[string, string | undefined, string]>([
    ['AVIF to a client that accepts it', CHROME, 'avif'],
    ['WebP to one that accepts WebP only', 'image/webp,*/*', 'webp'],
    ['JPEG to one that names neither', 'image/png,image/*;q=0.8,*/*;q=0.5', 'jpeg'],
    ['JPEG to curl, whose */* does not mean AVIF', '*/*', 'jpeg'],
    ['JPEG without an Accept header', undefined, 'jpeg'],
    ['not AVIF when its q is 0', 'image/avif;q=0,image/webp', 'webp'],
    ['AVIF when its q is above 0, with spaces and capitals', 'IMAGE/AVIF ; q=0.5, text/html', 'avif'],
  ])('gives %s', (_, accept, format) => {
    expect(negotiateFormat('auto', accept, ALL)).toBe(format);
  });

  it('skips formats the deployment does not allow', () => {
    expect(negotiateFormat('auto', CHROME, ['jpeg', 'webp'])).toBe('webp');
    expect(negotiateFormat('auto', CHROME, ['png', 'jpeg'])).toBe('jpeg');
    expect(negotiateFormat('auto', '*/*', ['avif'])).toBe('avif');
  });

  it('keeps alpha: PNG rather than JPEG for a transparent source the client takes no AVIF or WebP for', () => {
    expect(negotiateFormat('auto', '*/*', ALL, true)).toBe('png');
    expect(negotiateFormat('auto', 'image/webp', ALL, true)).toBe('webp');
    expect(negotiateFormat('auto', '*/*', ['jpeg', 'webp'], true)).toBe('jpeg');
  });

  it('leaves an explicit format alone', () => {
    expect(negotiateFormat('png', CHROME, ALL)).toBe('png');
  });
});

describe('renditionKey', () => {
  it('stores under renditions/<id>/<16 hex>.<ext>', () => {
    expect(renditionKey(IMAGE_ID, spec({ w: 400 }), 'jpeg')).toMatch(
      new RegExp(`^renditions/${IMAGE_ID}/[0-9a-f]{16}\\.jpg$`),
    );
    expect(renditionKey(IMAGE_ID, spec({ w: 400 }), 'avif')).toMatch(/\.avif$/);
    expect(renditionKey(IMAGE_ID, spec(), 'webp').startsWith(renditionPrefix(IMAGE_ID))).toBe(true);
  });

  it('is one key for auto negotiated to WebP and for an explicit WebP', () => {
    expect(renditionKey(IMAGE_ID, spec({ w: 400 }), 'webp')).toBe(
      renditionKey(IMAGE_ID, spec({ w: 400, format: 'webp' }), 'webp'),
    );
  });

  it('differs with the spec, the format, the image and its version', () => {
    const keys = [
      renditionKey(IMAGE_ID, spec({ w: 400 }), 'webp'),
      renditionKey(IMAGE_ID, spec({ w: 401 }), 'webp'),
      renditionKey(IMAGE_ID, spec({ w: 400 }), 'avif'),
      renditionKey('01J0000000000000000000000B', spec({ w: 400 }), 'webp'),
      // Another upload under the same id: its own keys.
      renditionKey(
        IMAGE_ID,
        spec({ w: 400 }),
        'webp',
        renditionVersion({ sha256: 'a'.repeat(64), analysisVersion: '1' }),
      ),
      renditionKey(
        IMAGE_ID,
        spec({ w: 400 }),
        'webp',
        renditionVersion({ sha256: 'b'.repeat(64), analysisVersion: '1' }),
      ),
      // A re-analysis (gravity=smart frames with its faces and objects): its own keys.
      renditionKey(
        IMAGE_ID,
        spec({ w: 400 }),
        'webp',
        renditionVersion({ sha256: 'b'.repeat(64), analysisVersion: '2' }),
      ),
    ];
    expect(new Set(keys).size).toBe(7);
  });

  it('is the same for two spellings of one spec', () => {
    expect(renditionKey(IMAGE_ID, query('hue=-10&w=5'), 'png')).toBe(
      renditionKey(IMAGE_ID, query('w=5&hue=350'), 'png'),
    );
  });
});

describe('presets and settings', () => {
  it('refuses a preset name that is not lowercase and short', () => {
    expect(RenditionPresetsSchema.safeParse({ Card: { w: 1 } }).success).toBe(false);
    expect(RenditionPresetsSchema.safeParse({ ['a'.repeat(33)]: { w: 1 } }).success).toBe(false);
    expect(RenditionPresetsSchema.safeParse({ 'card-2x': { w: 1, eager: true } }).success).toBe(true);
  });

  it('refuses a preset with an unknown field or more than 16 presets', () => {
    expect(RenditionPresetsSchema.safeParse({ card: { width: 1 } }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, { w: 1 }]));
    expect(RenditionPresetsSchema.safeParse(many).success).toBe(false);
  });

  it('has default presets that pass the default limits, one of them eager', () => {
    const presets = DEFAULT_SETTINGS.renditionPresets;
    expect(Object.keys(presets)).toEqual(['card', 'hero', 'avatar']);
    for (const preset of Object.keys(presets)) {
      expect(() => specFromQuery(`preset=${preset}`, renditionLimitsOf(DEFAULT_SETTINGS), presets)).not.toThrow();
    }
    expect(presets.card).toMatchObject({ w: 400, h: 300, format: 'webp', eager: true });
  });

  it('gives the limits from the settings', () => {
    expect(renditionLimitsOf(DEFAULT_SETTINGS)).toEqual({
      maxSide: 4096,
      budgetMs: 8000,
      maxDpr: 3,
      formats: [...OUTPUT_FORMATS],
      filters: [...FILTERS],
      watermarks: [],
    });
    const settings = parseDeploymentSettings({
      renditionFormats: 'webp,avif',
      renditionFilters: 'blur',
      watermarks: '{"logo":{"image":"assets/logo.png"},"credit":{"text":"© Example"}}',
      renditionMaxSide: '2048',
      renditionMaxDpr: '2',
      renditionBudgetMs: '3000',
      renditionPresets: '{"thumb":{"w":200,"wm":null}}'.replace(',"wm":null', ''),
    });
    expect(renditionLimitsOf(settings)).toEqual({
      maxSide: 2048,
      budgetMs: 3000,
      maxDpr: 2,
      formats: ['webp', 'avif'],
      filters: ['blur'],
      watermarks: ['logo', 'credit'],
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a preset over the limits',
      { renditionFormats: 'jpeg' },
      /renditionPresets\.card: format: webp is not allowed here/,
    ],
    [
      'an eager preset without a format',
      { renditionPresets: '{"t":{"w":9,"eager":true}}' },
      /t: an eager preset needs a format/,
    ],
    ['a preset naming a missing watermark', { renditionPresets: { t: { watermark: 'x' } } }, /no watermark named x/],
    [
      'a watermark outside the project',
      { watermarks: { up: { image: '../secret.png' } } },
      /watermarks\.up\.image: must be a \.png/,
    ],
    ['an SVG watermark', { watermarks: { s: { image: 'a.svg' } } }, /must be a \.png or \.webp path/],
    [
      'a watermark with text and image',
      { watermarks: { b: { text: 'x', image: 'a.png' } } },
      /give either text or image/,
    ],
    ['a URL TTL over 7 days', { renditionUrlTtlSeconds: 7 * 24 * 3600 + 1 }, /renditionUrlTtlSeconds/],
    ['a max side over WebP\u2019s limit', { renditionMaxSide: 20_000 }, /renditionMaxSide/],
    ['a max dpr over 3', { renditionMaxDpr: 4 }, /renditionMaxDpr/],
    ['no format at all', { renditionFormats: '' }, /renditionFormats: at least one format/],
  ])('refuses %s at synth', (_, input, message) => {
    expect(() => parseDeploymentSettings(input)).toThrow(message);
  });

  it('has rendition settings defaults in the schema', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({
      renditionMaxSide: 4096,
      renditionMaxDpr: 3,
      renditionUrlTtlSeconds: 3600,
      renditionKeyRotationDays: 30,
      watermarks: {},
    });
  });
});

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** A valid spec input within LIMITS, each field present about half the time, with arbitrary doubles in ranges. */
function randomInput(random: () => number): RenditionSpecInput {
  const maybe = <T>(value: () => T): T | undefined => (random() < 0.5 ? value() : undefined);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const between = (min: number, max: number) => min + random() * (max - min);
  const whole = (min: number, max: number) => Math.floor(between(min, max + 1));
  const dpr = maybe(() => pick([1, 2, 3, between(1, 3)]));
  const largest = Math.floor(4096 / (dpr ?? 1));
  const watermark = maybe(() => pick(['logo', 'credit']));
  const input: Record<string, unknown> = {
    w: maybe(() => whole(1, largest)),
    h: maybe(() => whole(1, largest)),
    fit: maybe(() => pick(FITS)),
    dpr,
    enlarge: maybe(() => random() < 0.5),
    gravity: maybe(() => pick([...COMPASS, 'smart'])),
    crop: maybe(() => ({ x: whole(0, 5000), y: whole(0, 5000), w: whole(1, 5000), h: whole(1, 5000) })),
    format: maybe(() => pick([...OUTPUT_FORMATS, 'auto'])),
    q: maybe(() => whole(1, 100)),
    rotate: maybe(() => pick([0, 90, 180, 270])),
    flip: maybe(() => random() < 0.5),
    flop: maybe(() => random() < 0.5),
    blur: maybe(() => between(0.3, 100)),
    sharpen: maybe(() => between(0.5, 10)),
    grayscale: maybe(() => random() < 0.5),
    normalize: maybe(() => random() < 0.5),
    brightness: maybe(() => between(0, 4)),
    saturation: maybe(() => between(0, 4)),
    hue: maybe(() => whole(-360, 360)),
    contrast: maybe(() => between(0, 4)),
    median: maybe(() => pick([3, 5, 7, 9])),
    kernel: maybe(() => pick(KERNELS)),
    watermark,
    watermarkGravity: watermark && maybe(() => pick(COMPASS)),
    watermarkOpacity: watermark && maybe(() => pick([0, 1, 1e-7, between(0, 1)])),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as RenditionSpecInput;
}
