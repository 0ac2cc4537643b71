/**
 * The jobs `inference.ts` hands its children (`worker.ts` for ours, `ocr-baseline.mjs` for
 * @gutenye/ocr-node) and what they answer: the job is argv[2] as JSON, the answer one `RESULT <json>` line.
 */

export type ModelName = 'faces' | 'objects' | 'moderation' | 'ocr';

/** A fresh process: load every model by calling it on a tiny image, twice. */
export interface ColdJob {
  kind: 'cold';
  tiny: string;
}

/** Warm per-model latency on `files`; the whole offline path as well on the files listed in `whole`. */
export interface WarmJob {
  kind: 'warm';
  files: string[];
  whole: string[];
  passes: number;
}

export type InferenceJob = ColdJob | WarmJob;

export interface ColdResult {
  importMs: number;
  tfBackendMs: number;
  loads: { model: ModelName; firstCallMs: number; warmCallMs: number; loadMs: number }[];
  /** VmHWM after the imports, before any model is loaded. */
  idleRssMb: number;
  /** VmHWM once every model has run once. */
  loadedRssMb: number;
}

export interface WarmResult {
  /** One per file per pass: each model alone on the core's raster, and the raster decode alone. */
  samples: { file: string; ms: Record<ModelName | 'decode', number> }[];
  /** 12 MP photos: analyzeImage(keepRaster) then analyzeOffline, per file per pass. */
  /** `copyMs`: the page copy alone, made beside analyzeOffline (a tree before issue 79 makes none). */
  whole: { file: string; coreMs: number; offlineMs: number; totalMs: number; copyMs?: number }[];
  /** OCR lines of the last pass, per file. */
  texts: Record<string, { text: string; confidence: number }[]>;
  maxRssMb: number;
}

/** What `ocr-baseline.mjs` answers. */
export interface BaselineResult {
  cold: {
    importMs: number;
    createMs: number;
    firstCallMs: number;
    warmCallMs: number;
    idleRssMb: number;
    loadedRssMb: number;
  };
  samples: { file: string; ms: number }[];
  texts: Record<string, { text: string; score: number }[]>;
  maxRssMb: number;
}
