/**
 * The jobs `run.ts` hands to its child processes (`worker.ts` for Node, `pillow_core.py` for Pillow) and what
 * they answer. Each contender runs in a child of its own so its peak RSS is its own and so thread-pool and
 * allocator settings, which are fixed at process start, can differ per run.
 *
 * Protocol: the job is argv[2] as JSON. The child loads its inputs and warms up, prints `READY`, waits for one
 * line on stdin (so several children can start timing together), runs, and prints `RESULT <json>`.
 */
import type { AnalyzeOptions } from '../../lambdas/core/options';

/**
 * `naive-serial` is the naive pipeline with its steps awaited one after another instead of concurrently;
 * `naive-full` is that with JPEG shrink-on-load off, so every step decodes the whole original.
 */
export type Contender = 'ours' | 'naive' | 'naive-serial' | 'naive-full' | 'pillow';

interface JobBase {
  files: string[];
  /** Files analysed once each before timing starts (not timed). */
  warmup: string[];
  /** Node only: passed to sharp.concurrency() when set. */
  sharpConcurrency?: number;
  /**
   * Node only: set libvips up as the processor function does (lambdas/core/analysis/threads.ts, with the environment the
   * caller gives the child). A baseline commit's worker that predates it ignores it, as its processor did.
   */
  asDeployed?: boolean;
}

/** One image at a time, each timed alone, `passes` times over `files`. */
export interface LatencyJob extends JobBase {
  kind: 'latency';
  contender: Contender;
  passes: number;
  options?: AnalyzeOptions;
}

/** `passes` times over `files` with `inFlight` images in flight at once; only the wall time counts. */
export interface ThroughputJob extends JobBase {
  kind: 'throughput';
  contender: Contender;
  passes: number;
  inFlight: number;
}

/** The floor: one shrink-on-load decode to the largest size, then one WebP encode per size, each timed alone. */
export interface FloorJob extends JobBase {
  kind: 'floor';
  passes: number;
}

/** Our core with these options; PSNR of the largest thumbnail against the raster it was encoded from. */
export interface QualityJob extends JobBase {
  kind: 'quality';
  options: AnalyzeOptions;
}

/**
 * Our core with and without quality (`measureQuality: false`), one after the other on each image, the order
 * alternating with each pass, so the noise of a shared machine falls on both.
 */
export interface QualityShareJob extends JobBase {
  kind: 'quality-share';
  passes: number;
}

export type Job = LatencyJob | ThroughputJob | FloorJob | QualityJob | QualityShareJob;

export interface Sample {
  file: string;
  ms: number;
  /** Sum of the encoded thumbnail sizes. */
  thumbBytes: number;
  phash: string;
}

interface ResultBase {
  /** Peak resident set of the child over its whole life, in MiB. */
  maxRssMb: number;
  /** Node only: sharp.concurrency() and the libuv pool size the child ran with. */
  sharpConcurrency?: number;
  uvThreadpoolSize?: number;
}

export interface LatencyResult extends ResultBase {
  kind: 'latency';
  samples: Sample[];
}

export interface ThroughputResult extends ResultBase {
  kind: 'throughput';
  images: number;
  wallMs: number;
}

export interface FloorSample {
  file: string;
  decodeMs: number;
  /** Encode time per thumbnail size, each encode alone. */
  encodeMs: Record<string, number>;
}

export interface FloorResult extends ResultBase {
  kind: 'floor';
  samples: FloorSample[];
}

export interface QualitySample {
  file: string;
  psnr: number;
  thumbBytes: number;
}

export interface QualityResult extends ResultBase {
  kind: 'quality';
  samples: QualitySample[];
}

export interface QualityShareSample {
  file: string;
  withMs: number;
  withoutMs: number;
  /** The process's CPU time (every thread: this one and libvips's) over each call, user + system. */
  withCpuMs: number;
  withoutCpuMs: number;
}

export interface QualityShareResult extends ResultBase {
  kind: 'quality-share';
  samples: QualityShareSample[];
}

export type JobResult = LatencyResult | ThroughputResult | FloorResult | QualityResult | QualityShareResult;

/** The settings every contender shares. */
export const THUMBNAIL_SIZES = [128, 512, 1024];
export const WEBP_QUALITY = 80;
export const WEBP_EFFORT = 4;
