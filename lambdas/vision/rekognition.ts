import {
  type BoundingBox,
  DetectFacesCommand,
  DetectLabelsCommand,
  DetectModerationLabelsCommand,
  DetectTextCommand,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import { z } from 'zod';
import { type Box, clampBox, type Vision } from '../core/vision-schema';
import { DEFAULT_SETTINGS } from '../settings';

/** Rekognition's limits for images passed as bytes. */
export const REKOGNITION_MAX_BYTES = 5 * 1024 * 1024;
const REKOGNITION_FORMATS = new Set(['jpeg', 'png']);

export const RekognitionConfigSchema = z.object({
  /** Which APIs to call; each is billed per image, so only the enabled ones are called. */
  features: z
    .object({ labels: z.boolean(), text: z.boolean(), faces: z.boolean(), moderation: z.boolean() })
    .default({ labels: true, text: true, faces: true, moderation: true }),
  /** Drop labels, objects, text and faces below this confidence (0-1). Default 0.6. */
  minConfidence: z.number().min(0).max(1).default(0.6),
  /** Moderation labels at or above this confidence flag the image (0-1). Default: the `moderationThreshold` setting. */
  moderationThreshold: z.number().min(0).max(1).default(DEFAULT_SETTINGS.moderationThreshold),
  maxLabels: z.number().int().positive().default(25),
  /** List price per image per API (USD); Rekognition Image group 2 APIs, first 1M images a month. */
  pricePerCallUsd: z.number().min(0).default(0.001),
});
export type RekognitionConfig = z.input<typeof RekognitionConfigSchema>;

/**
 * A Rekognition client whose retry strategy absorbs throttling: adaptive mode backs off with jitter and
 * rate-limits the client itself once Rekognition says ThrottlingException or ProvisionedThroughputExceeded.
 */
export function createRekognitionClient(
  config: ConstructorParameters<typeof RekognitionClient>[0] = {},
): RekognitionClient {
  return new RekognitionClient({ maxAttempts: 6, retryMode: 'adaptive', ...config });
}

/** The image to look at: the original when Rekognition accepts it, otherwise a JPEG the caller made. */
export interface RekognitionInput {
  bytes: Buffer;
  format: string;
  /** Called only when `bytes` cannot be sent as they are (format or size); must return a JPEG. */
  downscaledJpeg: () => Promise<Buffer>;
}

/**
 * Labels (with instances as objects), text, faces and moderation from Amazon Rekognition, in our schema.
 *
 * 1. Pick what to send: the original if it is a JPEG or PNG under 5 MB, else the caller's downscaled JPEG.
 * 2. Call only the enabled APIs, concurrently; throttling is retried by the client's retry strategy.
 * 3. Map each answer into the schema (confidence 0-1, boxes clamped to the image) and add up the cost.
 */
export class RekognitionProvider {
  private readonly config: z.output<typeof RekognitionConfigSchema>;

  constructor(
    private readonly client: RekognitionClient,
    config: RekognitionConfig = {},
  ) {
    this.config = RekognitionConfigSchema.parse(config);
  }

  async analyze(input: RekognitionInput): Promise<Vision> {
    const started = performance.now();
    const { features, minConfidence, maxLabels } = this.config;
    const sendable = REKOGNITION_FORMATS.has(input.format) && input.bytes.length <= REKOGNITION_MAX_BYTES;
    const Image = { Bytes: sendable ? input.bytes : await input.downscaledJpeg() };
    const percent = minConfidence * 100;

    const [labels, text, faces, moderation] = await Promise.all([
      features.labels
        ? this.client.send(new DetectLabelsCommand({ Image, MaxLabels: maxLabels, MinConfidence: percent }))
        : undefined,
      features.text ? this.client.send(new DetectTextCommand({ Image })) : undefined,
      features.faces ? this.client.send(new DetectFacesCommand({ Image, Attributes: ['DEFAULT'] })) : undefined,
      features.moderation ? this.client.send(new DetectModerationLabelsCommand({ Image })) : undefined,
    ]);

    const calls = [labels, text, faces, moderation].filter(Boolean).length;
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
    }));
    const models: Record<string, string> = {};
    if (labels) models.DetectLabels = labels.LabelModelVersion ?? 'unknown';
    if (text) models.DetectText = text.TextModelVersion ?? 'unknown';
    if (faces) models.DetectFaces = 'unknown';
    if (moderation) models.DetectModerationLabels = moderation.ModerationModelVersion ?? 'unknown';

    return {
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
      faces: (faces?.FaceDetails ?? [])
        .filter((f) => (f.Confidence ?? 0) >= percent)
        .map((f) => ({ confidence: toUnit(f.Confidence), box: toBox(f.BoundingBox) })),
      moderation: {
        checked: moderation !== undefined,
        flagged: moderationLabels.some((m) => m.confidence >= this.config.moderationThreshold),
        threshold: this.config.moderationThreshold,
        labels: moderationLabels,
      },
      inference: {
        provider: 'rekognition',
        models,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        costUsd: Math.round(calls * this.config.pricePerCallUsd * 1e6) / 1e6,
      },
    };
  }
}

const toUnit = (percent: number | undefined): number =>
  Math.round(Math.min(100, Math.max(0, percent ?? 0)) * 100) / 10000;

function toBox(box: BoundingBox | undefined): Box {
  return clampBox({ left: box?.Left ?? 0, top: box?.Top ?? 0, width: box?.Width ?? 0, height: box?.Height ?? 0 });
}
