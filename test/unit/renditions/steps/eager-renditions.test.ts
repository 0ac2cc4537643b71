import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import sharp from 'sharp';
import { sniffFormat } from '../../../../lambdas/core/analysis/sniff';
import * as render from '../../../../lambdas/core/render/render';
import { processMessage } from '../../../../lambdas/ingest/functions/processor/process-message';
import { processUpload } from '../../../../lambdas/ingest/functions/processor/process-upload';
import type { ProcessorDeps } from '../../../../lambdas/manifest/step-runners';
import { parseDeploymentSettings } from '../../../../lambdas/settings';
import { fixture } from '../../../fixtures';
import { s3Notification, sqsRecord } from '../../../support/sqs-events';

import {
  dynamo,
  FIRST,
  firstRequest,
  ID,
  KEY,
  notice,
  pipeline,
  renditionWrites,
  writtenItem,
} from './ingest-pipeline';

describe('eager rendition presets at ingest', () => {
  it('makes the default card (400 x 300 WebP) and lists it under eagerRenditions, nothing for the lazy presets', async () => {
    const settings = parseDeploymentSettings({});
    const { deps, objects, counts } = pipeline(settings);
    expect(await processUpload(notice, FIRST, deps)).toBe('PROCESSED');
    const [card, ...others] = renditionWrites(objects);
    expect(others).toEqual([]);
    expect(card?.key).toMatch(new RegExp(`^renditions/${ID}/[0-9a-f]{16}\\.webp$`));
    expect(card?.contentType).toBe('image/webp');
    expect(await sharp(card?.data).metadata()).toMatchObject({ format: 'webp', width: 400, height: 300 });
    expect(writtenItem().eagerRenditions).toEqual({ card: card?.key });
    expect(counts).toEqual({ EagerRenditionsStored: 1 });
  });

  it("stores it at the key the render function computes: the card URL's first request is the stored object", async () => {
    const settings = parseDeploymentSettings({});
    const { deps, objects } = pipeline(settings);
    await processUpload(notice, FIRST, deps);
    const item = writtenItem();
    const stored = objects.get(item.eagerRenditions?.card as string)?.data;
    const answer = await firstRequest(item, settings, objects, 'card');
    expect(answer).toMatchObject({ rendered: false, format: 'webp', contentType: 'image/webp' });
    expect((answer.body as Buffer).equals(stored as Buffer)).toBe(true);
    // A lazy preset, for contrast: rendered on its first request.
    expect((await firstRequest(item, settings, objects, 'hero')).rendered).toBe(true);
  });

  it('renders from the decoded pixels the thumbnails came from when they suffice, else from the original bytes', async () => {
    const settings = parseDeploymentSettings({
      renditionPresets: {
        card: { w: 400, h: 300, format: 'webp', eager: true },
        wide: { w: 1200, format: 'jpeg', eager: true },
      },
    });
    const { deps, objects } = pipeline(settings);
    const inputs: (string | undefined)[] = [];
    const renderImage = render.renderImage;
    jest.spyOn(render, 'renderImage').mockImplementation(async (input, spec, context) => {
      inputs.push(sniffFormat(input));
      return renderImage(input, spec, context);
    });
    await processUpload(notice, FIRST, deps);
    // pier.jpg is 1280 x 800: its 1024 px pixels hold a 400 px card, not a 1200 px wide copy.
    expect(inputs).toEqual(['tiff', 'jpeg']);
    const wide = objects.get(writtenItem().eagerRenditions?.wide as string);
    expect(await sharp(wide?.data).metadata()).toMatchObject({ format: 'jpeg', width: 1200, height: 750 });
  });

  it('keeps transparency: a PNG with alpha gives a WebP card with alpha', async () => {
    const settings = parseDeploymentSettings({});
    const { deps, objects } = pipeline(settings, fixture('formats/alpha.png'));
    await processUpload(notice, FIRST, deps);
    const [card] = renditionWrites(objects);
    // 200 px square, not enlarged: the 4:3 box shrunk to fit it.
    expect(await sharp(card?.data).metadata()).toMatchObject({
      format: 'webp',
      width: 200,
      height: 150,
      hasAlpha: true,
    });
  });

  it('draws a watermark at ingest, as the seed pipeline did', async () => {
    const settings = parseDeploymentSettings({
      renditionPresets: { marked: { w: 600, format: 'jpeg', watermark: 'credit', eager: true } },
      watermarks: { credit: { text: 'Example' } },
    });
    const { deps, objects } = pipeline(settings);
    const plain = pipeline(
      parseDeploymentSettings({ renditionPresets: { plain: { w: 600, format: 'jpeg', eager: true } } }),
    );
    await processUpload(notice, FIRST, deps);
    await processUpload(notice, FIRST, plain.deps);
    const [marked] = renditionWrites(objects);
    const [unmarked] = renditionWrites(plain.objects);
    expect(await sharp(marked?.data).metadata()).toMatchObject({ width: 600, height: 375 });
    const difference = await sharp(marked?.data)
      .composite([{ input: unmarked?.data as Buffer, blend: 'difference' }])
      .stats();
    expect(Math.max(...difference.channels.map((channel) => channel.max))).toBeGreaterThan(64);
  });

  it('leaves out, without counting a failure, a preset that cannot apply to the image', async () => {
    const settings = parseDeploymentSettings({
      renditionPresets: {
        card: { w: 400, h: 300, format: 'webp', eager: true },
        corner: { crop: { x: 1000, y: 0, w: 500, h: 500 }, format: 'png', eager: true },
      },
    });
    const { deps, objects, counts, notes } = pipeline(settings);
    await processUpload(notice, FIRST, deps);
    // The crop reaches x 1500, past the 1280 px width: get-image signs no URL for it either.
    expect(Object.keys(writtenItem().eagerRenditions ?? {})).toEqual(['card']);
    expect(renditionWrites(objects)).toHaveLength(1);
    expect(counts).toEqual({ EagerRenditionsStored: 1 });
    expect(notes).toEqual([]);
  });

  it('does not fail the image when a rendition cannot be stored: reported, counted, left out of the record', async () => {
    const settings = parseDeploymentSettings({
      renditionPresets: {
        card: { w: 400, h: 300, format: 'webp', eager: true },
        thumb: { w: 100, h: 100, format: 'avif', eager: true },
      },
    });
    const { deps, objects, counts, notes } = pipeline(settings);
    const write = deps.objects.write;
    deps.objects.write = async (bucket, key, data, type) => {
      if (key.endsWith('.avif')) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
      return write(bucket, key, data, type);
    };
    expect(await processUpload(notice, { count: 1, last: false }, deps)).toBe('PROCESSED');
    const item = writtenItem();
    expect(item.status).toBe('PROCESSED');
    expect(Object.keys(item.eagerRenditions ?? {})).toEqual(['card']);
    expect(renditionWrites(objects).map((object) => object.contentType)).toEqual(['image/webp']);
    expect(counts).toEqual({ EagerRenditionsStored: 1, EagerRenditionsFailed: 1 });
    expect(notes).toEqual([
      {
        message: 'eager rendition failed; it will be rendered on its first request',
        details: { preset: 'thumb', code: 'AccessDenied', message: 'Access Denied' },
      },
    ]);
  });

  it('records no eagerRenditions when every preset failed, and makes none when no preset is eager', async () => {
    const failing = pipeline(parseDeploymentSettings({}));
    failing.deps.renditions = {
      ...(failing.deps.renditions as NonNullable<ProcessorDeps['renditions']>),
      maxPixels: 1,
    };
    expect(await processUpload(notice, FIRST, failing.deps)).toBe('PROCESSED');
    expect(writtenItem().eagerRenditions).toBeUndefined();
    expect(failing.notes.map((note) => note.details.preset)).toEqual(['card']);

    dynamo.resetHistory();
    const lazy = pipeline(parseDeploymentSettings({ renditionPresets: { hero: { w: 1600 } } }));
    const rendered = jest.spyOn(render, 'renderImage');
    expect(await processUpload(notice, FIRST, lazy.deps)).toBe('PROCESSED');
    expect(writtenItem().eagerRenditions).toBeUndefined();
    expect(rendered).not.toHaveBeenCalled();
    expect(lazy.counts).toEqual({});
  });

  it('counts stored and failed eager renditions as metrics of the message', async () => {
    const settings = parseDeploymentSettings({});
    const { deps } = pipeline(settings);
    deps.renditions = { ...(deps.renditions as NonNullable<ProcessorDeps['renditions']>), maxPixels: 1 };
    const metrics = { addMetric: jest.fn() };
    const logger = { warn: jest.fn(), info: jest.fn(), error: jest.fn(), setCorrelationId: jest.fn() };
    await processMessage(sqsRecord(s3Notification({ key: KEY })), { MAX_RECEIVE_COUNT: 5 }, deps, {
      logger: logger as unknown as Logger,
      metrics: metrics as unknown as Metrics,
    });
    expect(metrics.addMetric).toHaveBeenCalledWith('EagerRenditionsFailed', 'Count', 1);
    expect(metrics.addMetric).toHaveBeenCalledWith('ImagesProcessed', 'Count', 1);
    expect(logger.warn).toHaveBeenCalledWith(
      'eager rendition failed; it will be rendered on its first request',
      expect.objectContaining({ preset: 'card' }),
    );
  });
});
