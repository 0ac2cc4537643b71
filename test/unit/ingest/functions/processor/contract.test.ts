import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { sourceImageId } from '../../../../../lambdas/backfill/source-object';
import { createDeps } from '../../../../../lambdas/ingest/functions/processor/deps';
import { derivedImageId, parseMessage } from '../../../../../lambdas/ingest/functions/processor/s3-event';
import type { StepDeclaration } from '../../../../../lambdas/kit/processor-step-contract';
import type { Use } from '../../../../../lambdas/kit/uses';
import { PROCESSOR_STEP_LIST, type ProcessorDeps } from '../../../../../lambdas/manifest/step-runners';
import { PROCESSOR, PROCESSOR_STEPS } from '../../../../../lambdas/manifest/steps';
import { environmentFor as renderEnvironment } from '../../../../../lambdas/renditions/functions/render-image/contract';
import { eagerPresets } from '../../../../../lambdas/renditions/steps/eager-renditions';
import { DEFAULT_SETTINGS, parseDeploymentSettings } from '../../../../../lambdas/settings';
import { fixture, fixturePath } from '../../../../fixtures';
import { declaredWiring } from '../../../../support/declared-wiring';

const wiring = {
  ...declaredWiring(),
  // Face grouping's table is wired by the tests that turn it on.
  people: undefined,
  tableName: 't',
  searchTableName: 's',
  policyTableName: 'p',
  bucketName: 'b',
  eventBusName: 'e',
  maxReceiveCount: 5,
};
const { environmentFor, parse: parseProcessorConfig, uses: PROCESSOR_USES } = PROCESSOR;
const required = environmentFor({ ...wiring, settings: { ...DEFAULT_SETTINGS, inference: 'none' } });

describe('processor contract', () => {
  it('names a missing variable', () => {
    const { TABLE_NAME: _table, ...rest } = required;
    expect(() => parseProcessorConfig(rest)).toThrow(/TABLE_NAME/);
  });

  it('has no default for a deployment setting: a function wired without it fails at start', () => {
    const { MAX_PIXELS: _pixels, ...rest } = required;
    expect(() => parseProcessorConfig(rest)).toThrow(/invalid environment for the processor: MAX_PIXELS/);
  });

  it('requires the vision function name when inference is offline', () => {
    expect(() => parseProcessorConfig({ ...required, INFERENCE: 'offline' })).toThrow(/VISION_FUNCTION_NAME/);
  });

  it('reads back exactly the settings it was wired with', () => {
    const settings = parseDeploymentSettings({ inference: 'offline', thumbnailSizes: '128, 1024', maxPixels: 5 });
    const config = parseProcessorConfig(environmentFor({ ...wiring, visionFunctionName: 'vision', settings }));
    expect(config).toMatchObject({
      INFERENCE: 'offline',
      VISION_FUNCTION_NAME: 'vision',
      THUMBNAIL_SIZES: [128, 1024],
      MAX_PIXELS: 5,
      MAX_UPLOAD_BYTES: DEFAULT_SETTINGS.maxUploadBytes,
      MAX_RECEIVE_COUNT: 5,
    });
    expect(config.MODERATION_THRESHOLD).toBeUndefined();
    const strict = parseDeploymentSettings({ moderationThreshold: '0.6' });
    expect(parseProcessorConfig(environmentFor({ ...wiring, settings: strict })).MODERATION_THRESHOLD).toBe(0.6);
  });

  it('refuses to wire inference=offline without a vision function', () => {
    expect(() => environmentFor({ ...wiring, settings: { ...DEFAULT_SETTINGS, inference: 'offline' } })).toThrow(
      /vision function/,
    );
  });

  it('reads face grouping off, with no people table, by default', () => {
    expect(parseProcessorConfig(required)).toMatchObject({ FACE_GROUPING: false });
    expect(parseProcessorConfig(required)).not.toHaveProperty('PEOPLE_TABLE');
  });

  it('wires face grouping with its table and, with Rekognition, its collection, and reads them back', () => {
    const settings = { ...DEFAULT_SETTINGS, inference: 'rekognition' as const, faceGrouping: true };
    const people = { tableName: 'people', faceCollectionId: 'faces' };
    expect(parseProcessorConfig(environmentFor({ ...wiring, people, settings }))).toMatchObject({
      FACE_GROUPING: true,
      PEOPLE_TABLE: 'people',
      FACE_COLLECTION_ID: 'faces',
    });
  });

  it('refuses to wire face grouping without its table, or with Rekognition without its collection', () => {
    const settings = { ...DEFAULT_SETTINGS, inference: 'rekognition' as const, faceGrouping: true };
    expect(() => environmentFor({ ...wiring, settings })).toThrow(/people table/);
    expect(() => environmentFor({ ...wiring, settings, people: { tableName: 'people' } })).toThrow(/face collection/);
  });

  it('names PEOPLE_TABLE or FACE_COLLECTION_ID when grouping is on without them', () => {
    const on = { ...required, INFERENCE: 'rekognition', FACE_GROUPING: 'true' };
    expect(() => parseProcessorConfig(on)).toThrow(/PEOPLE_TABLE is required when FACE_GROUPING=true/);
    expect(() => parseProcessorConfig({ ...on, PEOPLE_TABLE: 'people' })).toThrow(/FACE_COLLECTION_ID is required/);
    expect(parseProcessorConfig({ ...on, INFERENCE: 'none', PEOPLE_TABLE: 'people' })).toMatchObject({
      FACE_GROUPING: true,
    });
  });

  it('refuses a thumbnail size that is not a number', () => {
    expect(() => parseProcessorConfig({ ...required, THUMBNAIL_SIZES: '128,big' })).toThrow(/THUMBNAIL_SIZES/);
  });
});

/** Whether `one` grants what `use` asks: the same use, or (merged) the same prefix's actions or the listed prefixes. */
function covers(one: Use, use: Use): boolean {
  if (use.kind === 'objects') {
    return one.kind === 'objects' && one.prefix === use.prefix && use.actions.every((a) => one.actions.includes(a));
  }
  if (use.kind === 'list') return one.kind === 'list' && use.prefixes.every((p) => one.prefixes.includes(p));
  return JSON.stringify(one) === JSON.stringify(use);
}

describe("the processor's steps, each with its contract", () => {
  const declared: StepDeclaration[] = PROCESSOR_STEPS.flat();
  const named = PROCESSOR_STEP_LIST.flat().map((step) => step.name);

  it('runs the declared steps, in their order, each once', () => {
    expect(named).toEqual(declared.map((step) => step.name));
    expect(new Set(named).size).toBe(named.length);
  });

  it("parses every variable a step's contract reads, and gives the processor every use a step's contract names", () => {
    const schema = PROCESSOR.envSchema;
    if (!(schema instanceof z.ZodObject)) throw new Error("the processor's schema is not an object's");
    for (const { name: step, contract } of declared) {
      for (const variable of Object.keys(contract?.env ?? {})) {
        expect({ step, variable, parsed: variable in schema.shape }).toMatchObject({ parsed: true });
      }
      for (const use of contract?.uses ?? []) {
        const granted = PROCESSOR_USES.some((one) => covers(one, use));
        expect({ step, use, granted }).toMatchObject({ granted: true });
      }
    }
  });

  it('merges the object actions on one prefix into one use, and the listed prefixes into one', () => {
    const renditions = PROCESSOR_USES.filter((use) => use.kind === 'objects' && use.prefix === 'renditions/');
    expect(renditions).toEqual([expect.objectContaining({ actions: ['s3:PutObject', 's3:DeleteObject'] })]);
    expect(PROCESSOR_USES.filter((use) => use.kind === 'list')).toEqual([
      expect.objectContaining({ prefixes: ['uploads/', 'renditions/'] }),
    ]);
  });
});

describe('the eager presets the processor reads', () => {
  const settings = parseDeploymentSettings({
    renditionPresets: {
      card: { w: 400, h: 300, format: 'webp', eager: true },
      marked: { w: 800, format: 'jpeg', watermark: 'logo', eager: true },
      hero: { w: 1600 },
    },
    watermarks: { logo: { image: 'test/fixtures/formats/alpha.png' } },
  });
  const render = {
    tableName: 't',
    bucketName: 'b',
    signingSecretArn: 'arn:secret',
    shares: { tableName: 's' },
    settings,
  };

  it("gets the render function's RENDITION_SETTINGS, the same text, so the local runner's merge agrees", () => {
    const processor = environmentFor({ ...wiring, settings: { ...settings, inference: 'none' } });
    expect(processor.RENDITION_SETTINGS).toBe(renderEnvironment(render).RENDITION_SETTINGS);
    const bundled = environmentFor({
      ...wiring,
      settings: { ...settings, inference: 'none' },
      watermarkFiles: 'bundle',
    });
    expect(bundled.RENDITION_SETTINGS).toBe(
      renderEnvironment({ ...render, watermarkFiles: 'bundle' }).RENDITION_SETTINGS,
    );
  });

  it('reads the eager ones, parsed with the limits and defaults the render function uses', () => {
    const config = parseProcessorConfig(environmentFor({ ...wiring, settings: { ...settings, inference: 'none' } }));
    expect(eagerPresets(config.RENDITION_SETTINGS)).toEqual([
      { name: 'card', format: 'webp', spec: expect.objectContaining({ w: 400, h: 300, fit: 'cover', dpr: 1 }) },
      { name: 'marked', format: 'jpeg', spec: expect.objectContaining({ w: 800, watermark: 'logo' }) },
    ]);
  });

  it("reads an image watermark from the function's root, once, and tries a failed read again", async () => {
    const config = parseProcessorConfig(environmentFor({ ...wiring, settings: { ...settings, inference: 'none' } }));
    const deps = createDeps(config, PROCESSOR_STEP_LIST, { root: fixturePath('../..') }) as ProcessorDeps;
    const logo = await deps.renditions?.watermark('logo');
    expect(logo).toEqual({ kind: 'image', data: fixture('formats/alpha.png') });
    expect(await deps.renditions?.watermark('logo')).toBe(logo);

    const root = mkdtempSync(path.join(tmpdir(), 'processor-root-'));
    const late = createDeps(config, PROCESSOR_STEP_LIST, { root }) as ProcessorDeps;
    await expect(late.renditions?.watermark('logo')).rejects.toThrow(/ENOENT/);
    mkdirSync(path.join(root, 'test/fixtures/formats'), { recursive: true });
    copyFileSync(fixturePath('formats/alpha.png'), path.join(root, 'test/fixtures/formats/alpha.png'));
    await expect(late.renditions?.watermark('logo')).resolves.toEqual(logo);
    rmSync(root, { recursive: true });
  });

  it('fails at start, naming the preset, on an eager preset settings would have refused', () => {
    const config = parseProcessorConfig(required);
    const presets = { loose: { w: 100, eager: true } };
    expect(() => eagerPresets({ ...config.RENDITION_SETTINGS, renditionPresets: presets })).toThrow(
      'renditionPresets.loose: an eager preset needs a fixed format and no smart gravity',
    );
  });

  it('is refused by the settings when eager and smart: vision has not run at ingest', () => {
    const presets = JSON.stringify({ face: { w: 128, h: 128, gravity: 'smart', format: 'webp', eager: true } });
    expect(() => parseDeploymentSettings({ renditionPresets: presets })).toThrow(
      'renditionPresets.face: an eager preset cannot use gravity smart (it is made at ingest, before vision finds ' +
        'the faces and objects smart gravity frames): drop eager, or give a compass gravity such as center',
    );
    expect(() => parseDeploymentSettings({ renditionPresets: { face: { w: 128, gravity: 'smart' } } })).not.toThrow();
  });
});

describe('S3 notification parsing', () => {
  it('takes the image id from an API upload key', () => {
    const body = JSON.stringify({
      Records: [
        {
          eventName: 'ObjectCreated:Post',
          eventTime: '2026-11-22T10:00:00Z',
          s3: { bucket: { name: 'b' }, object: { key: 'uploads/01JD3W7Q1ZK7Y6G5S4R3P2N1M0.png', size: 3 } },
        },
      ],
    });
    expect(parseMessage(body)).toMatchObject({ kind: 'uploads', notices: [{ imageId: '01JD3W7Q1ZK7Y6G5S4R3P2N1M0' }] });
  });

  it('derives the same id for the same event and different ids for different keys or times', () => {
    const a = derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:00Z');
    expect(derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:00Z')).toBe(a);
    expect(derivedImageId('b', 'uploads/y.jpg', '2026-11-22T10:00:00Z')).not.toBe(a);
    expect(derivedImageId('b', 'uploads/x.jpg', '2026-11-22T10:00:01Z')).not.toBe(a);
    // The id a backfill gives the object, had it been modified then.
    expect(a).toBe(sourceImageId('b', 'uploads/x.jpg', new Date('2026-11-22T10:00:00Z')));
  });

  it('calls a body without Records poison', () => {
    expect(() => parseMessage('{"Records": []}')).toThrow('not an S3 event notification');
    expect(() => parseMessage('not json')).toThrow('not JSON');
  });
});
