import type { AnalysisResult, ProcessedRecord } from '../../../core';
import type { FaceDescriptions } from '../../../people/contract';
import type { EmbeddingSpace } from '../../../search/meaning/embedding-port';
import type { ImageItem } from '../../../store/image-item';
import type { ReadResult } from '../../../store/object-store';
import type { Attempt, Outcome, ProcessorDeps } from './ports';
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
  /** Set by a step that ends the run early (another delivery stored this version): no later step runs. */
  readonly outcome?: Outcome;
}

/** What a step adds: fields of the record, and what it leaves the steps after it. */
export type StepPart = Omit<Partial<Analysis>, 'item'> & { readonly item?: Partial<ImageItem> };

/** A step of every run that gets this far, the image accepted or not: the record's own (store, index, event). */
export interface RecordStep {
  readonly name: string;
  readonly when?: undefined;
  run(context: StepContext, analysis: Analysis): Promise<StepPart>;
}

/** An enrichment: only for an image the core decoded. A refused one is stored and published without it. */
export interface EnrichmentStep {
  readonly name: string;
  readonly when: 'decoded';
  run(context: StepContext, analysis: Analysis & { decoded: Decoded }): Promise<StepPart>;
}

export type ProcessorStep = RecordStep | EnrichmentStep;

/** Steps in order; an inner list is steps that start together, none reading another's part. */
export type StepList = readonly (ProcessorStep | readonly ProcessorStep[])[];

/**
 * Run the steps in order and merge each one's part into the analysis. A group's parts are merged in the group's
 * order once all are done; its first failure fails the run at once, as a single step's does. A step that sets
 * `outcome` ends the run.
 */
export async function runSteps(steps: StepList, context: StepContext, start: Analysis): Promise<Analysis> {
  let analysis = start;
  for (const entry of steps) {
    const group: readonly ProcessorStep[] = isGroup(entry) ? entry : [entry];
    const before = analysis;
    const parts = await Promise.all(group.map((step) => runStep(step, context, before)));
    for (const { item, ...part } of parts) analysis = { ...analysis, ...part, item: { ...analysis.item, ...item } };
    if (analysis.outcome !== undefined) break;
  }
  return analysis;
}

function runStep(step: ProcessorStep, context: StepContext, analysis: Analysis): Promise<StepPart> {
  const around = context.deps.aroundStep ?? ((_name, work) => work());
  if (step.when === undefined) return around(step.name, () => step.run(context, analysis));
  const { decoded } = analysis;
  return decoded ? around(step.name, () => step.run(context, { ...analysis, decoded })) : Promise.resolve({});
}

function isGroup(entry: StepList[number]): entry is readonly ProcessorStep[] {
  return Array.isArray(entry);
}
