import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { AnalysisResult } from '../core/analysis/analyze';
import type { ProcessedRecord } from '../core/record';
import type { S3Env } from '../shared/contract';
import type { ImageItem } from '../store/image-item';
import type { IObjectRemover } from '../store/image-objects';
import type { ImageStore } from '../store/image-store';
import type { IKeyLister } from '../store/object-pages';
import type { IObjectStore, ReadResult } from '../store/object-store';

/*
 * A processing step: what a room adds to the processing of an upload (the processor, lambdas/ingest, runs the list
 * the registry keeps, lambdas/manifest/steps.ts). Each step reads the analysis as the steps before it left it and
 * answers its part; the processor merges the parts in the list's order. A step is whole in its room: this interface
 * (its runtime) and its declaration (processor-step-contract.ts: its environment, uses and bundled data).
 *
 * What a step leaves the steps after it, beyond the record's fields, is a field it adds to `Analysis` in its own
 * module (declaration merging: `declare module '.../kit/processor-step' { interface Analysis { ... } }`), so the
 * interface names no feature and each such field is read where its step says what it means.
 */

/** One object the processor was told about. */
export interface UploadNotice {
  imageId: string;
  bucket: string;
  key: string;
  size?: number;
  eventTime: string;
  /** For an object without an upload record (a backfill): the owner its record gets. */
  owner?: string;
  /** `owner` replaces the record's, if it has another (a backfill's `reown`): its faces and postings move too. */
  reown?: boolean;
  /** For an object without an upload record: the name its record shows (the key's last part). */
  filename?: string;
  /** Analyse again a final record of this version made by an older ANALYSIS_VERSION (a backfill's `reprocess`). */
  reanalyse?: boolean;
  /** Delete the image's faces and group them afresh, even from a final record of this analysis (a re-cluster). */
  regroupFaces?: boolean;
  /**
   * The backfill run that re-analyses it (with `reanalyse` or `regroupFaces`): recorded as `reprocessedBy`, so a
   * duplicated or retried message of the same run finds it done.
   */
  run?: string;
}

export interface Attempt {
  /** SQS ApproximateReceiveCount of this delivery. */
  count: number;
  /** True on the delivery that reaches the redrive maxReceiveCount: failing now sends it to the DLQ. */
  last: boolean;
  /**
   * The SQS message this is a delivery of (its `messageId`): the record a run stores names it
   * (`ImageItem.eventPendingFrom`), so a later delivery of the same message knows that run is over.
   */
  message?: string;
}

export type Outcome =
  | 'PROCESSED'
  | 'REJECTED'
  /** This version was already final: a duplicated or replayed event. */
  | 'DUPLICATE'
  /** Already final, but its event had not gone out: published now. */
  | 'REPUBLISHED'
  /** A Live Photo's MOV, kept beside its still (lambdas/live): no record, no event of its own. */
  | 'COMPANION'
  /** The object is gone (deleted before we got to it): nothing to do. */
  | 'MISSING';

/** What the processor hands every step: its own adapters and options, and where a step reports. */
export interface StepDeps {
  objects: IObjectStore;
  store: ImageStore;
  /**
   * `bucket`: where thumbnails and renditions go (the pipeline's); default the object's own. `timeoutSeconds`: how
   * long one processing run may last (the function's timeout), so how long a record stored with its event still
   * pending may belong to a run that is publishing it; absent: never waited for.
   */
  options: {
    thumbnailSizes: number[];
    maxPixels: number;
    maxBytes: number;
    /** A camera RAW's byte limit (`maxRawUploadBytes`); absent: `maxBytes`. */
    maxRawBytes?: number;
    /** The most a `.mov` object (a Live Photo's video, lambdas/live) is read up to. Default `maxBytes`. */
    maxVideoBytes?: number;
    bucket?: string;
    timeoutSeconds?: number;
  };
  now?: () => Date;
  /** Told of what was noticed but did not change the outcome (an inference error recorded, a republish). */
  onNote?: (message: string, details: Record<string, unknown>) => void;
  /** Told how many of something happened besides the outcome (eager renditions stored or failed), for a metric. */
  onCount?: (metric: string, count: number) => void;
  /**
   * Lists and deletes the objects under an image's prefix: what a step takes back (`undo`) or finds stale; none:
   * nothing is deleted.
   */
  cleanup?: { lister: IKeyLister; remover: IObjectRemover };
  /** Runs each processing step under its name, to trace and time it; none: each runs as it is. */
  aroundStep?: <T>(step: string, work: () => Promise<T>) => Promise<T>;
}

/** What a run knows before its first step, and keeps to its end; `deps` are the processor's and the step's own. */
export interface StepContext<D = unknown> {
  readonly notice: UploadNotice;
  readonly attempt: Attempt;
  readonly deps: StepDeps & D;
  /** The object as read: its bytes, or only its size when over the byte limit; with the ETag of this version. */
  readonly object: Exclude<ReadResult, { kind: 'missing' }>;
  /** The record as the run found it. */
  readonly existing: ImageItem | undefined;
  /** The record whose terms and people this version's carry on from: none when re-owned (they left with it). */
  readonly previous: ImageItem | undefined;
  readonly reown: boolean;
  /** The time now, as the record writes it. */
  readonly now: () => string;
  /** What of the decode the steps asked to keep (each step's `keeps`). */
  readonly keep: DecodeKept;
}

/** What the decode keeps beyond the thumbnails, for the steps that asked: the raster, the oriented pixels. */
export interface DecodeKept {
  readonly raster: boolean;
  readonly pixels: boolean;
}

/** An image the core accepted: its record, the thumbnails and pixels it encoded, and the original's bytes. */
export type Decoded = Omit<AnalysisResult, 'record'> & { record: ProcessedRecord; original: Buffer };

/**
 * The image as far as the steps have taken it. A step adds what it leaves the steps after it (module comment).
 */
export interface Analysis {
  /** The record to be stored: what the run began with (owner, key, the upload's fields), then each step's fields. */
  readonly item: ImageItem;
  /** Absent when the core refused the image, or the object was too large to read. */
  readonly decoded?: Decoded;
  /** The record as `store` wrote it, and the one its write replaced (none when there was none), for `index`. */
  readonly stored?: { readonly item: ImageItem; readonly replaced?: ImageItem };
  /** When the record was stored: a rendition last written before then was made from an earlier one. */
  readonly storedAt?: Date;
  /**
   * Set by a step that rejects the image after the core accepted it (the owner's policy): the thumbnails are
   * stored blurred and nothing is rendered eagerly from it.
   */
  readonly blurred?: boolean;
  /** Set by a step that ends the run early (another delivery stored this version): no later step runs. */
  readonly outcome?: Outcome;
  /**
   * Set by `store` when the record was deleted while this run worked: each step that ran takes back what it wrote
   * (its `undo`), so nothing is left that no record names.
   */
  readonly abandoned?: boolean;
}

/** What a step adds: fields of the record, and what it leaves the steps after it. */
export type StepPart = Omit<Partial<Analysis>, 'item'> & { readonly item?: Partial<ImageItem> };

/** What a step's `open` is given besides its variables: the tracer, and the runner's own adapters and root. */
export interface OpenOptions {
  readonly tracer?: Tracer;
  /** Adapters to use instead of those the variables name, by the deps' field (a test's or the runner's vision). */
  readonly instead?: Readonly<Record<string, unknown>>;
  /** Where files the variables name are read from (watermarks, trust anchors); default the bundle's. */
  readonly root?: string;
}

interface StepParts<D> {
  readonly name: string;
  /**
   * Its adapters (its own deps), made once per container from its variables (declared by its contract) and the
   * S3 client's: with its feature off, none.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each step reads its own variables, which its contract declared.
  open?(config: any & S3Env, options: OpenOptions): Partial<D>;
  /** What of the decode this step needs kept (the raster a vision provider reads, the pixels renditions are made of). */
  keeps?(deps: StepDeps & D): Partial<DecodeKept>;
  /**
   * What it starts as its group starts, passed on to the steps beside it (which may not read its part): a read they
   * wait on too, done once. Synchronous: whatever it starts runs beside the group.
   */
  begin?(context: StepContext<D>, analysis: Analysis & { decoded: Decoded }): StepPart;
  /**
   * With a re-analysis asked: whether the final record's part from this step is out of date (a vector of another
   * model, a place named by older data), so the image is analysed again though its analysis is current.
   */
  stale?(existing: ImageItem, deps: StepDeps & D): boolean | Promise<boolean>;
  /**
   * Take back what `run` wrote outside the record (objects, a vector, faces), when the record was deleted while the
   * run worked (`abandoned`): the delete removed what the record named before this run wrote its own.
   */
  undo?(context: StepContext<D>, analysis: Analysis): Promise<void>;
  /**
   * The image leaves its owner (a re-own), before its record is written under the new one: what the step keeps of
   * it under the old owner goes (its faces from the old owner's people).
   */
  leave?(existing: ImageItem & { owner: string }, deps: StepDeps & D): Promise<void>;
  /**
   * A record the processor wrote outside a run of the steps (a failure it recorded, a stored record whose event it
   * publishes again): what the step makes of a stored record (its postings), made for this one.
   */
  recorded?(item: ImageItem, deps: StepDeps & D): Promise<void>;
  /**
   * Whether this step groups afresh what a backfill's re-cluster (`regroupFaces`) asks to be grouped afresh (with its
   * feature on): without such a step a re-cluster is a reprocess.
   */
  regroups?(deps: StepDeps & D): boolean;
}

/** A step of every run that gets this far, the image accepted or not: the record's own (store, index, event). */
export interface RecordStep<D = unknown> extends StepParts<D> {
  readonly when?: undefined;
  run(context: StepContext<D>, analysis: Analysis): Promise<StepPart>;
}

/**
 * An enrichment: only for an image the core decoded (`decoded`), or only for one it decoded that nothing rejected
 * since (`accepted`: the owner's policy may). A refused one is stored and published without it.
 */
export interface EnrichmentStep<D = unknown> extends StepParts<D> {
  readonly when: 'decoded' | 'accepted';
  run(context: StepContext<D>, analysis: Analysis & { decoded: Decoded }): Promise<StepPart>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds steps of every room, each typed by its own deps.
export type ProcessorStep<D = any> = RecordStep<D> | EnrichmentStep<D>;

/** Steps in order; an inner list is steps that start together, none reading another's part. */
export type StepList = readonly (ProcessorStep | readonly ProcessorStep[])[];

/** The deps a step's `open` makes (its own), from its type. */
// biome-ignore lint/suspicious/noExplicitAny: only the context's type is read.
export type DepsOf<S> = S extends { run(context: StepContext<infer D>, analysis: any): unknown }
  ? unknown extends D
    ? Record<never, never>
    : D
  : never;
