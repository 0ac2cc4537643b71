import {
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { z } from 'zod';
import type { Vision } from '../core/vision-schema';
import { type IndexedFaces, indexFaces, toBox, toUnit } from './rekognition-faces';
import { fitEncoded, sizeOf, visionFit } from './vision-limits';

/** Rekognition's limits for images passed as bytes. */
export const REKOGNITION_MAX_BYTES = 5 * 1024 * 1024;
const REKOGNITION_FORMATS = new Set(['jpeg', 'png']);

export const RekognitionConfigSchema = z.object({
  /** Which APIs to call; each is billed per image, so only the enabled ones are called. */
  features: z
    .object({
      labels: z.boolean(),
      text: z.boolean(),
      faces: z.boolean(),
      moderation: z.boolean(),
      /** DetectLabels' IMAGE_PROPERTIES (brightness, sharpness, contrast), billed apart from its labels. */
      imageProperties: z.boolean().default(true),
    })
    .default({ labels: true, text: true, faces: true, moderation: true, imageProperties: true }),
  /** Drop labels, objects, text and faces below this confidence (0-1). Default 0.6. */
  minConfidence: z.number().min(0).max(1).default(0.6),
  /** Moderation labels at or above this confidence flag the image (0-1). Default 0.8 (the `moderationThreshold` setting overrides it). */
  moderationThreshold: z.number().min(0).max(1).default(0.8),
  maxLabels: z.number().int().positive().default(25),
  /**
   * With face grouping: faces go into this collection with IndexFaces, instead of DetectFaces. Default: none.
   */
  faceCollection: z.object({ collectionId: z.string().min(1), maxFaces: z.number().int().min(1) }).optional(),
  /**
   * List prices (USD, first 1M images a month), docs/costs.md. Group 2 (DetectLabels, DetectText, DetectFaces,
   * DetectModerationLabels) $0.001 an image; DetectLabels' Image Properties $0.00075 an image (no free tier), per
   * https://aws.amazon.com/rekognition/pricing/ as transcribed by api-evangelist/amazon-rekognition
   * (plans/amazon-rekognition-plans-pricing.yml). Group 1 (IndexFaces, SearchFaces): the pricing page names the
   * group; its figure was not in the pages the search tool holds, so $0.001 (the Group 2 figure) is assumed until
   * checked against the page.
   */
  pricePerCallUsd: z.number().min(0).default(0.001),
  imagePropertiesPriceUsd: z.number().min(0).default(0.00075),
  faceCollectionPricePerCallUsd: z.number().min(0).default(0.001),
});
export type RekognitionConfig = z.input<typeof RekognitionConfigSchema>;

export { createRekognitionClient } from '../shared/aws-clients';

/** The image to look at: the original when Rekognition accepts it, otherwise a JPEG the caller made. */
export interface RekognitionInput {
  bytes: Buffer;
  format: string;
  /** Called only when `bytes` cannot be sent as they are (format or size); must return a JPEG. */
  downscaledJpeg: () => Promise<Buffer>;
  /** The image's id: its faces' ExternalImageId in the collection. Required with `faceCollection`. */
  imageId?: string;
}

/** The vision result, and with face grouping the faces IndexFaces stored (the people contract's FaceDescriptions). */
export type RekognitionResult = Vision & { faceDescriptions?: IndexedFaces & { searchPriceUsd: number } };

/**
 * Labels (with instances as objects), text, faces and moderation from Amazon Rekognition, in our schema.
 *
 * 1. Pick what to send: the original if it is a JPEG or PNG under 5 MB and 80-10,000 px a side, else the caller's
 *    downscaled JPEG, scaled into that range when it is not (`scaled` says so; a strip no scale fits is refused).
 * 2. Call only the enabled APIs, concurrently (DetectLabels with its image properties; with a face collection,
 *    IndexFaces instead of DetectFaces); throttling is retried by the client's retry strategy.
 * 3. Map each answer into the schema (confidence 0-1, boxes clamped to the image) and add up the cost; Rekognition's
 *    image quality goes to `imageQuality`, the indexed faces to `faceDescriptions` beside the result.
 */
export class RekognitionProvider {
  private readonly config: z.output<typeof RekognitionConfigSchema>;

  constructor(
    private readonly client: RekognitionClient,
    config: RekognitionConfig = {},
  ) {
    this.config = RekognitionConfigSchema.parse(config);
  }

  /**
   * What to send: the original when Rekognition takes it as it is (a JPEG or PNG under 5 MB, 80-10,000 px a side),
   * else the caller's downscaled JPEG, scaled into that range if it is not in it (vision-limits.ts).
   */
  private async picture(input: RekognitionInput): Promise<Awaited<ReturnType<typeof fitEncoded>>> {
    const sendable = REKOGNITION_FORMATS.has(input.format) && input.bytes.length <= REKOGNITION_MAX_BYTES;
    const size = sendable ? await sizeOf(input.bytes) : undefined;
    if (sendable && (size === undefined || visionFit(size).kind === 'as-is')) return { bytes: input.bytes };
    return fitEncoded(await input.downscaledJpeg());
  }

  async analyze(input: RekognitionInput): Promise<RekognitionResult> {
    const started = performance.now();
    const { features, minConfidence, maxLabels, faceCollection } = this.config;
    const { bytes, scaled } = await this.picture(input);
    const Image = { Bytes: bytes };
    const percent = minConfidence * 100;
    if (features.faces && faceCollection && !input.imageId) {
      throw new Error("RekognitionProvider: faceCollection needs the image id (the faces' ExternalImageId)");
    }
    const labelFeatures = [
      ...(features.labels ? ['GENERAL_LABELS' as const] : []),
      ...(features.imageProperties ? ['IMAGE_PROPERTIES' as const] : []),
    ];

    const [labels, text, faces, indexed, moderation] = await Promise.all([
      labelFeatures.length > 0
        ? this.client.send(
            new DetectLabelsCommand({ Image, MaxLabels: maxLabels, MinConfidence: percent, Features: labelFeatures }),
          )
        : undefined,
      features.text ? this.client.send(new DetectTextCommand({ Image })) : undefined,
      features.faces && !faceCollection
        ? this.client.send(new DetectFacesCommand({ Image, Attributes: ['DEFAULT'] }))
        : undefined,
      features.faces && faceCollection
        ? indexFaces(this.client, Image, input.imageId as string, faceCollection, percent)
        : undefined,
      features.moderation ? this.client.send(new DetectModerationLabelsCommand({ Image })) : undefined,
    ]);

    const lines = (text?.TextDetections ?? [])
      .filter((d) => d.Type === 'LINE' && (d.Confidence ?? 0) >= percent && d.DetectedText)
      .map((d) => ({
        text: d.DetectedText as string,
        confidence: toUnit(d.Confidence),
        box: toBox(d.Geometry?.BoundingBox),
      }));
    const moderationLabels = (moderation?.ModerationLabels ?? []).map((m) => ({
      name: m.Name ?? 'Unknown',
      confidence: toUnit(m.Confidence),
      // A top-level label's ParentName is "": the policy follows the others up to their category.
      ...(m.ParentName && { parent: m.ParentName }),
    }));
    const models: Record<string, string> = {};
    if (labels) models.DetectLabels = labels.LabelModelVersion ?? 'unknown';
    if (text) models.DetectText = text.TextModelVersion ?? 'unknown';
    if (faces) models.DetectFaces = 'unknown';
    if (indexed) models.IndexFaces = indexed.modelVersion;
    if (moderation) models.DetectModerationLabels = moderation.ModerationModelVersion ?? 'unknown';
    const quality = labels?.ImageProperties?.Quality;

    return {
      ...(scaled && { scaled }),
      labels: (labels?.Labels ?? []).map((l) => ({
        name: l.Name ?? 'Unknown',
        confidence: toUnit(l.Confidence),
        source: 'rekognition' as const,
      })),
      objects: (labels?.Labels ?? []).flatMap((l) =>
        (l.Instances ?? [])
          .filter((i) => (i.Confidence ?? 0) >= percent)
          .map((i) => ({
            name: (l.Name ?? 'Unknown').toLowerCase(),
            confidence: toUnit(i.Confidence),
            box: toBox(i.BoundingBox),
          })),
      ),
      text: { fullText: lines.map((l) => l.text).join('\n'), lines },
      faces:
        indexed?.faces ??
        (faces?.FaceDetails ?? [])
          .filter((f) => (f.Confidence ?? 0) >= percent)
          .map((f) => ({ confidence: toUnit(f.Confidence), box: toBox(f.BoundingBox) })),
      moderation: {
        checked: moderation !== undefined,
        flagged: moderationLabels.some((m) => m.confidence >= this.config.moderationThreshold),
        threshold: this.config.moderationThreshold,
        labels: moderationLabels,
      },
      ...(quality && {
        imageQuality: {
          source: 'rekognition' as const,
          brightness: toPercent(quality.Brightness),
          sharpness: toPercent(quality.Sharpness),
          contrast: toPercent(quality.Contrast),
        },
      }),
      inference: {
        provider: 'rekognition',
        models,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        costUsd: this.costOf({
          group2: [features.labels && labels, text, faces, moderation].filter(Boolean).length,
          imageProperties: features.imageProperties && labels ? 1 : 0,
          // IndexFaces; the grouping's SearchFaces are added by the processor, which knows how many it sent.
          group1: indexed ? 1 : 0,
        }),
      },
      ...(indexed && {
        faceDescriptions: { ...indexed.faceDescriptions, searchPriceUsd: this.config.faceCollectionPricePerCallUsd },
      }),
    };
  }

  /** The calls at list price, to the micro-dollar. */
  private costOf(calls: { group2: number; imageProperties: number; group1: number }): number {
    const { pricePerCallUsd, imagePropertiesPriceUsd, faceCollectionPricePerCallUsd } = this.config;
    const usd =
      calls.group2 * pricePerCallUsd +
      calls.imageProperties * imagePropertiesPriceUsd +
      calls.group1 * faceCollectionPricePerCallUsd;
    return Math.round(usd * 1e6) / 1e6;
  }
}

/** Rekognition's 0-100 image quality, to two decimals. */
const toPercent = (value: number | undefined): number => Math.round(Math.min(100, Math.max(0, value ?? 0)) * 100) / 100;
