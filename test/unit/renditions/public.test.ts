import {
  isPublicPath,
  publicAddress,
  publicRenditionFiles,
  publicRenditionUrl,
} from '../../../lambdas/renditions/public';
import { renditionKey, specFromQuery } from '../../../lambdas/renditions/query';
import { parseSigningKeySet } from '../../../lambdas/renditions/signing-keys';
import { presetRenditions, renderableImage } from '../../../lambdas/renditions/urls';
import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../../lambdas/settings';
import { type RenditionPresets, renditionLimitsOf } from '../../../lambdas/settings/renditions';
import { BadRequestError, NotFoundError } from '../../../lambdas/shared/errors';
import { processedItem, SECRET_STRING } from './functions/create-rendition/signing-support';

/**
 * Public preset URLs (`/<imageId>/<preset>.<ext>`): off unless a preset says `public`, which needs a fixed format;
 * the address names a public preset and nothing else, and its spec is the signed URL's of the same preset.
 */

const LIMITS = renditionLimitsOf(DEFAULT_SETTINGS);
const PRESETS: RenditionPresets = {
  card: { w: 400, h: 300, format: 'webp', eager: true, public: true },
  thumb: { w: 200, h: 200, format: 'jpeg', public: true },
  hero: { w: 1600 },
  avatar: { w: 128, h: 128, format: 'png', gravity: 'smart' },
};
const ID = '01M81J7NMFPA5YKSZ1JXJWSHP5';

/** What `run` throws, by class and message (fails the test if it throws nothing). */
function thrown(run: () => unknown): { kind: string; message: string } {
  try {
    run();
  } catch (error) {
    return { kind: (error as Error).constructor.name, message: (error as Error).message };
  }
  throw new Error('nothing was thrown');
}

describe('the public setting of a preset', () => {
  it('is off by default: no default preset is public, so no public file is served', () => {
    expect(Object.values(DEFAULT_SETTINGS.renditionPresets).some((preset) => 'public' in preset)).toBe(false);
    expect(publicRenditionFiles(DEFAULT_SETTINGS.renditionPresets)).toEqual([]);
  });

  it('is taken on a preset with a format, as -c gives it', () => {
    const settings = parseDeploymentSettings({
      renditionPresets: '{"card":{"w":400,"h":300,"format":"webp","public":true},"hero":{"w":1600}}',
    });
    expect(settings.renditionPresets.card).toEqual({ w: 400, h: 300, format: 'webp', public: true });
    expect(publicRenditionFiles(settings.renditionPresets)).toEqual(['card.webp']);
  });

  it.each([
    ['no format', '{"hero":{"w":1600,"public":true}}'],
    ['format auto', '{"hero":{"w":1600,"format":"auto","public":true}}'],
  ])('refuses a public preset with %s, saying why and what to do', (_, presets) => {
    expect(() => parseDeploymentSettings({ renditionPresets: presets })).toThrow(
      "renditionPresets.hero: a public preset needs a format (jpeg, png, webp or avif), which its URL's extension " +
        'names: a stable URL is cached on its path alone, so it cannot follow the Accept header; for several ' +
        'formats, make a public preset per format',
    );
  });

  it('refuses a public flag that is not true or false', () => {
    expect(() =>
      parseDeploymentSettings({ renditionPresets: '{"card":{"w":1,"format":"png","public":"yes"}}' }),
    ).toThrow(/renditionPresets.*public: must be true or false/);
  });

  it('is not a spec field: a public preset is a spec like any other in a signed URL', () => {
    expect(specFromQuery('preset=card', LIMITS, PRESETS)).toEqual(specFromQuery('w=400&h=300&format=webp', LIMITS));
  });
});

describe('public preset files and URLs', () => {
  it('serve each public preset at <name>.<ext>, JPEG as jpg, and no other preset', () => {
    expect(publicRenditionFiles(PRESETS)).toEqual(['card.webp', 'thumb.jpg']);
  });

  it('put the image id and the file after the renditions origin', () => {
    expect(publicRenditionUrl('https://d1.cloudfront.net/', ID, 'card.webp')).toBe(
      `https://d1.cloudfront.net/${ID}/card.webp`,
    );
  });

  it('are told from a signed URL by their path alone', () => {
    expect(isPublicPath(`/${ID}/card.webp`)).toBe(true);
    expect(isPublicPath(`/${ID}/`)).toBe(true);
    expect(isPublicPath(`/${ID}`)).toBe(false);
  });
});

describe('publicAddress', () => {
  const address = (path: string, query = '') => publicAddress(path, query, PRESETS, LIMITS);

  it('names the public preset of the path, with the same spec, so the same stored key, as its signed URL', () => {
    const found = address(`/${ID}/card.webp`);
    expect(found).toMatchObject({ imageId: ID, preset: 'card' });
    const signed = specFromQuery('preset=card', LIMITS, PRESETS);
    expect(found.spec).toEqual(signed);
    expect(renditionKey(ID, found.spec, 'webp', 'v')).toBe(renditionKey(ID, signed, 'webp', 'v'));
    expect(address(`/${ID}/thumb.jpg`).spec).toEqual(specFromQuery('w=200&h=200&format=jpeg', LIMITS));
  });

  it.each(['w=1', 'preset=hero', 'format=avif', 'exp=1&kid=k&sig=s', 'x'])('answers 400 to the query %s', (query) => {
    expect(thrown(() => address(`/${ID}/card.webp`, query))).toEqual({
      kind: 'BadRequestError',
      message: 'query: a public rendition URL takes no parameters; for another spec, ask the API for a signed URL',
    });
  });

  it.each([
    ['an unknown preset', `/${ID}/poster.webp`, '"poster.webp"'],
    ['a preset that is not public', `/${ID}/hero.jpg`, '"hero.jpg"'],
    ['a preset that is not public, in its own format', `/${ID}/avatar.png`, '"avatar.png"'],
    ['another format of a public preset', `/${ID}/card.avif`, '"card.avif"'],
    ['another spelling of its extension', `/${ID}/thumb.jpeg`, '"thumb.jpeg"'],
    ['no extension', `/${ID}/card`, '"card"'],
  ])('answers 404 to %s, naming the public presets', (_, path, file) => {
    expect(thrown(() => address(path))).toEqual({
      kind: 'NotFoundError',
      message: `${file}: no public preset is served at this name (public presets: card.webp, thumb.jpg)`,
    });
  });

  it.each([`/not-an-id/card.webp`, `/${ID}/card.webp/more`, `/${ID.toLowerCase()}/card.webp`, `//${ID}/card.webp`])(
    'answers 404 to %s, not an address of the public form',
    (path) => {
      expect(thrown(() => address(path))).toEqual({
        kind: 'NotFoundError',
        message: 'path: not a public rendition address, /<imageId>/<preset>.<ext>',
      });
    },
  );

  it('answers 404 to every public address when no preset is public', () => {
    const error = thrown(() => publicAddress(`/${ID}/card.webp`, '', DEFAULT_SETTINGS.renditionPresets, LIMITS));
    expect(error).toEqual({
      kind: 'NotFoundError',
      message: '"card.webp": no public preset is served at this name (no preset is public here)',
    });
  });

  it('throws the API error classes the handler answers with (400, 404)', () => {
    expect(() => address(`/${ID}/card.webp`, 'w=1')).toThrow(BadRequestError);
    expect(() => address(`/${ID}/hero.jpg`)).toThrow(NotFoundError);
  });
});

describe('presetRenditions (GET /images/{id})', () => {
  const image = renderableImage(processedItem({ width: 1280, height: 800 })) as NonNullable<
    ReturnType<typeof renderableImage>
  >;
  const signer = {
    keys: async () => parseSigningKeySet(SECRET_STRING),
    baseUrl: 'https://renditions.example.com',
    ttlSeconds: 3600,
  };

  it('gives a public preset its stable URL beside its signed one, and no other preset one', async () => {
    const renditions = await presetRenditions(image, PRESETS, LIMITS, signer);
    expect(Object.keys(renditions)).toEqual(['card', 'thumb', 'hero', 'avatar']);
    expect(renditions.card?.publicUrl).toBe(`https://renditions.example.com/${image.imageId}/card.webp`);
    expect(renditions.thumb?.publicUrl).toBe(`https://renditions.example.com/${image.imageId}/thumb.jpg`);
    expect(renditions.hero).not.toHaveProperty('publicUrl');
    expect(renditions.avatar).not.toHaveProperty('publicUrl');
    expect(renditions.card?.url).toMatch(/\?w=400&h=300&format=webp&exp=\d+&kid=initial&sig=/);
  });

  it('leaves out a public preset this image cannot take, its stable URL with it', async () => {
    const panorama = { ...image, width: 1000, height: 20_000 };
    const wide = { big: { w: 4000, format: 'webp' as const, public: true } };
    expect(await presetRenditions(panorama, wide, LIMITS, signer)).toEqual({});
  });
});
