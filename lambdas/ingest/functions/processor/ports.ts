import type { IRunCounters } from '../../../backfill/run-counters';
import type { Raster } from '../../../core/analysis/raster';
import type { ProcessedRecord } from '../../../core/record';
import type { Vision } from '../../../core/vision-schema';
import type { IEventPublisher } from '../../../events/events';
import type { FaceDescriptions } from '../../../people/contract';
import type { PeoplePort } from '../../../people/ports';
import type { Geocoder } from '../../../places/geocoder';
import type { PolicyDefaults } from '../../../policy/defaults';
import type { IPolicyStore } from '../../../policy/policy-store';
import type { ProvenanceOptions } from '../../../provenance/read-provenance';
import type { ISearchIndex } from '../../../search/index-port';
import type { Meaning } from '../../../search/meaning/open';
import type { SourceBucket } from '../../../settings';
import type { IObjectRemover } from '../../../store/image-objects';
import type { ImageStore } from '../../../store/image-store';
import type { IKeyLister } from '../../../store/object-pages';
import type { IObjectHeads, IObjectStore } from '../../../store/object-store';
import type { EagerRenditions } from './eager-renditions';

/** What a vision provider may look at; each uses what suits it. */
export interface VisionInput {
  imageId: string;
  original: { bytes: Buffer; format: string };
  /** The largest thumbnail (`visionThumbnail`), not yet stored: the policy decides on the answer how it is stored. */
  thumbnail: { bytes: Buffer };
  /** The oriented RGB raster the thumbnails came from, when the provider asked for it. */
  raster?: Raster;
  colour: Pick<ProcessedRecord, 'palette' | 'brightness'>;
}

/**
 * What a provider sees: the vision result and, with face grouping on, its faces described for grouping (never
 * stored as they are: the descriptors go to the people table only).
 */
export type VisionResult = Vision & { faceDescriptions?: FaceDescriptions };

export interface IVisionProvider {
  /** Whether `analyze` needs `raster` (the core then keeps it). */
  readonly wantsRaster: boolean;
  analyze(input: VisionInput): Promise<VisionResult>;
}

/** What the processor works with: its adapters, its options, and where it reports. */
export interface ProcessorDeps {
  objects: IObjectStore;
  store: ImageStore;
  /** Where the image's search postings go (nothing for an image without an owner). */
  index: Pick<ISearchIndex, 'upsert' | 'remove'>;
  events: IEventPublisher;
  /** Undefined when inference is off. */
  vision?: IVisionProvider;
  /**
   * With face grouping on: where an image's described faces are grouped into people, and (`repointMerged`) the
   * images of people grouping merged are re-pointed (people.ts `followMerges`).
   */
  people?: Pick<PeoplePort, 'groupFaces' | 'deleteImageFaces'> & Partial<Pick<PeoplePort, 'repointMerged'>>;
  /** With search by meaning on: the model that embeds each image and the index its vector goes to. */
  meaning?: Pick<Meaning, 'embedder' | 'index'>;
  /** `bucket`: where thumbnails and renditions go (the pipeline's); default the object's own. */
  /**
   * `timeoutSeconds`: how long one processing run may last (the function's timeout), so how long a record stored
   * with its event still pending may belong to a run that is publishing it; absent: never waited for.
   */
  options: { thumbnailSizes: number[]; maxPixels: number; maxBytes: number; bucket?: string; timeoutSeconds?: number };
  /** The presets made at ingest (`eager`); none when absent. */
  renditions?: EagerRenditions;
  now?: () => Date;
  /** Told of what was noticed but did not change the outcome (an inference error recorded, a republish). */
  onNote?: (message: string, details: Record<string, unknown>) => void;
  /**
   * Reads a watched object's LastModified, which its image id hangs on (backfill/object-created.ts); none: the
   * source buckets' EventBridge events cannot be taken (each fails, to the DLQ).
   */
  heads?: IObjectHeads;
  /** The `sourceBuckets` entries: a watched object's owner is its entry's. */
  sources?: readonly SourceBucket[];
  /** Where a backfill's outcomes are counted; none: not counted. */
  runs?: IRunCounters;
  /**
   * Lists and deletes an image's renditions of an earlier version once a re-analysis or a new version of the
   * original replaced it; none: they are kept until the image is deleted.
   */
  staleRenditions?: { lister: IKeyLister; remover: IObjectRemover };
  /** Told how many of something happened besides the outcome (eager renditions stored or failed), for a metric. */
  onCount?: (metric: string, count: number) => void;
  /**
   * The owners' moderation policies and the default one's settings: the policy step applies the image owner's after
   * vision (lambdas/policy); none: vision's own `flagged` stands.
   */
  policies?: { store: Pick<IPolicyStore, 'get'>; defaults: PolicyDefaults };
  /** Names where each photo was taken, offline (lambdas/places, the `place` step); none: the position alone is recorded. */
  geocoder?: Geocoder;
  /** How the `provenance` step checks Content Credentials (its trust anchors); none: no signer is trusted. */
  provenance?: ProvenanceOptions;
  /** Runs each processing step (step.ts) under its name, to trace and time it; none: each runs as it is. */
  aroundStep?: <T>(step: string, work: () => Promise<T>) => Promise<T>;
}

export interface Attempt {
  /** SQS ApproximateReceiveCount of this delivery. */
  count: number;
  /** True on the delivery that reaches the redrive maxReceiveCount: failing now sends it to the DLQ. */
  last: boolean;
}

export type Outcome =
  | 'PROCESSED'
  | 'REJECTED'
  /** This version was already final: a duplicated or replayed event. */
  | 'DUPLICATE'
  /** Already final, but its event had not gone out: published now. */
  | 'REPUBLISHED'
  /** The object is gone (deleted before we got to it): nothing to do. */
  | 'MISSING';
