import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { AnalysisResult } from '../../../core/analysis/analyze';
import type { ProcessedRecord } from '../../../core/record';
import type { FaceDescriptions } from '../../../people/contract';
import type { EmbeddingSpace } from '../../../search/meaning/embedding-port';
import type { S3Env } from '../../../shared/contract';
import type { ImageItem } from '../../../store/image-item';
import type { ReadResult } from '../../../store/object-store';
import type { ProcessorConfig } from './contract';
import type { RenderedEager } from './eager-renditions';
import type { Attempt, IVisionProvider, Outcome, ProcessorDeps } from './ports';
import type { UploadNotice } from './s3-event';

/*
 * The processing of one upload as named steps (the list is steps.ts). Each step reads the analysis as the steps
 * before it left it and answers its part; the runner merges the parts in the list's order. A new enrichment is one
 * file under steps/ and one line in the list.
 */

/** What a run knows before its first step, and keeps to its end. */
export interface StepContext {
  readonly notice: UploadNotice;
  readonly attempt: Attempt;
  readonly deps: ProcessorDeps;
  /** The object as read: its bytes, or only its size when over the byte limit; with the ETag of this version. */
  readonly object: Exclude<ReadResult, { kind: 'missing' }>;
  /** The record as the run found it. */
  readonly existing: ImageItem | undefined;
  /** The record whose terms and people this version's carry on from: none when re-owned (they left with it). */
  readonly previous: ImageItem | undefined;
  readonly reown: boolean;
  /** The time now, as the record writes it. */
  readonly now: () => string;
}

/** An image the core accepted: its record, the thumbnails and pixels it encoded, and the original's bytes. */
export type Decoded = Omit<AnalysisResult, 'record'> & { record: ProcessedRecord; original: Buffer };

/** An image's vector and the space it is in, from `embed` to `vector` (steps/embed.ts): never stored on the record. */
export interface ImageVector {
  values: number[];
  space: EmbeddingSpace;
}

/** The image as far as the steps have taken it. */
export interface Analysis {
  /** The record to be stored: what the run began with (owner, key, the upload's fields), then each step's fields. */
  readonly item: ImageItem;
  /** Absent when the core refused the image, or the object was too large to read. */
  readonly decoded?: Decoded;
  /** The faces vision described, for the people step: never stored (their descriptors go to the people table). */
  readonly faceDescriptions?: FaceDescriptions;
  /** With search by meaning on: the image's vector, for the `vector` step (steps/embed.ts); never stored. */
  readonly vector?: ImageVector;
  /** The record as `store` wrote it, and the one its write replaced (none when there was none), for `index`. */
  readonly stored?: { readonly item: ImageItem; readonly replaced?: ImageItem };
  /** When the record was stored: a rendition last written before then was made from an earlier one. */
  readonly storedAt?: Date;
  /** Set by the policy step: the owner's policy blurs this image, so its thumbnails are stored blurred. */
  readonly blurred?: boolean;
  /** The eager renditions rendered beside vision, stored after the policy step unless it blurs the image. */
  readonly renditions?: RenderedEager;
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

/** What a step's `open` is given besides the config: the tracer, and the runner's own vision and project root. */
export interface OpenOptions {
  readonly tracer?: Tracer;
  /** A vision provider to use instead of the one the config names (the local runner's). */
  readonly vision?: IVisionProvider;
  /** Where files the config names are read from (watermarks); default the bundle's. */
  readonly root?: string;
}

interface StepParts {
  readonly name: string;
  /**
   * Its adapters (the parts of ProcessorDeps only it needs), made once per container from the processor's config
   * (deps.ts): with its feature off, none.
   */
  open?(config: ProcessorConfig & S3Env, options: OpenOptions): Partial<ProcessorDeps>;
  /**
   * With a re-analysis asked: whether the final record's part from this step is out of date (a vector of another
   * model, a place named by older data), so the image is analysed again though its analysis is current.
   */
  stale?(existing: ImageItem, deps: ProcessorDeps): boolean | Promise<boolean>;
  /**
   * Take back what `run` wrote outside the record (objects, a vector, faces), when the record was deleted while the
   * run worked (`abandoned`): the delete removed what the record named before this run wrote its own.
   */
  undo?(context: StepContext, analysis: Analysis): Promise<void>;
}

/** A step of every run that gets this far, the image accepted or not: the record's own (store, index, event). */
export interface RecordStep extends StepParts {
  readonly when?: undefined;
  run(context: StepContext, analysis: Analysis): Promise<StepPart>;
}

/**
 * An enrichment: only for an image the core decoded (`decoded`), or only for one it decoded that nothing rejected
 * since (`accepted`: the owner's policy may). A refused one is stored and published without it.
 */
export interface EnrichmentStep extends StepParts {
  readonly when: 'decoded' | 'accepted';
  run(context: StepContext, analysis: Analysis & { decoded: Decoded }): Promise<StepPart>;
}

export type ProcessorStep = RecordStep | EnrichmentStep;

/** Steps in order; an inner list is steps that start together, none reading another's part. */
export type StepList = readonly (ProcessorStep | readonly ProcessorStep[])[];

/**
 * Run the steps in order and merge each one's part into the analysis. A group's parts are merged in the group's
 * order once all are done; its first failure fails the run at once, as a single step's does. A step that sets
 * `outcome` ends the run; one that also sets `abandoned` has every step that ran take back what it wrote, the last
 * first.
 */
export async function runSteps(steps: StepList, context: StepContext, start: Analysis): Promise<Analysis> {
  let analysis = start;
  const ran: ProcessorStep[] = [];
  for (const entry of steps) {
    const group: readonly ProcessorStep[] = isGroup(entry) ? entry : [entry];
    const before = analysis;
    const parts = await Promise.all(group.map((step) => runStep(step, context, before)));
    for (const [i, part] of parts.entries()) {
      if (part === undefined) continue;
      const { item, ...rest } = part;
      analysis = { ...analysis, ...rest, item: { ...analysis.item, ...item } };
      ran.push(group[i] as ProcessorStep);
    }
    if (analysis.outcome !== undefined) break;
  }
  if (analysis.abandoned) await undoSteps(ran, context, analysis);
  return analysis;
}

/** Each step's undo, the last step's first; best effort: what one leaves is noted, and the others still run. */
async function undoSteps(ran: readonly ProcessorStep[], context: StepContext, analysis: Analysis): Promise<void> {
  for (const step of [...ran].reverse()) {
    if (!step.undo) continue;
    try {
      await step.undo(context, analysis);
    } catch (error) {
      context.deps.onNote?.('could not take back what a step wrote for a deleted image', {
        step: step.name,
        message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      });
    }
  }
}

/** The step's part, or undefined when it does not run on this analysis (an enrichment of a refused image). */
function runStep(step: ProcessorStep, context: StepContext, analysis: Analysis): Promise<StepPart | undefined> {
  const around = context.deps.aroundStep ?? ((_name, work) => work());
  if (step.when === undefined) return around(step.name, () => step.run(context, analysis));
  const { decoded } = analysis;
  const runs = decoded !== undefined && (step.when === 'decoded' || analysis.item.status !== 'REJECTED');
  return runs ? around(step.name, () => step.run(context, { ...analysis, decoded })) : Promise.resolve(undefined);
}

function isGroup(entry: StepList[number]): entry is readonly ProcessorStep[] {
  return Array.isArray(entry);
}
