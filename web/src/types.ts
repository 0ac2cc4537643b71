/** The API's shapes as the app reads them (docs/openapi.json); only the fields the app uses. */

export type Status = 'PENDING' | 'PROCESSED' | 'REJECTED' | 'FAILED';

/** Longest side in pixels ("128") to a presigned GET. */
export type Thumbnails = Record<string, string>;

export interface ImageSummary {
  imageId: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  filename?: string;
  contentType?: string;
  size?: number;
  width?: number;
  height?: number;
  dominantColor?: string;
  topLabels?: string[];
  thumbnails?: Thumbnails;
}

export interface ImagePage {
  items: ImageSummary[];
  cursor?: string;
}

export interface UploadTicket {
  imageId: string;
  upload: { url: string; fields: Record<string, string> };
  expiresAt: string;
}

/** Fractions (0..1) of the oriented image's width and height. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Problem {
  code: string;
  message: string;
}

export interface Vision {
  labels: Array<{ name: string; confidence: number; source: string }>;
  objects: Array<{ name: string; confidence: number; box: Box }>;
  text: { fullText: string; lines: Array<{ text: string; confidence: number; box: Box }> };
  faces: Array<{ confidence: number; box: Box }>;
  moderation: {
    checked: boolean;
    flagged: boolean;
    threshold: number;
    labels: Array<{ name: string; confidence: number }>;
  };
  inference: { provider: string; models: Record<string, string>; durationMs: number; costUsd?: number };
}

export interface Analysis {
  status: Status;
  size: number;
  analysisVersion: string;
  durationMs: number;
  metadata?: {
    format: string;
    width: number;
    height: number;
    aspectRatio: number;
    orientation: string;
    hasAlpha: boolean;
    colorSpace: string;
    bitDepth: number;
    isAnimated: boolean;
    pages: number;
    exif?: {
      make?: string;
      model?: string;
      takenAt?: string;
      gps?: { latitude: number; longitude: number; altitude?: number };
    };
  };
  hashes?: { sha256: string; phash?: string };
  palette?: Array<{ hex: string; proportion: number }>;
  dominantColor?: { hex: string };
  brightness?: { value: number; class: string };
  thumbnails?: Array<{ size: number; width: number; height: number; bytes: number; format: string }>;
  rejection?: Problem;
  error?: Problem;
  detectedFormat?: string;
}

export interface LabelCorrection {
  name: string;
  at: string;
  by?: string;
}

export interface ImageDetail {
  imageId: string;
  status: Status;
  createdAt: string;
  updatedAt: string;
  owner?: string;
  bucket: string;
  key: string;
  contentType?: string;
  filename?: string;
  tags?: string[];
  metadata?: Record<string, string>;
  size?: number;
  sha256?: string;
  duplicateOf?: string;
  analysis?: Analysis;
  vision?: Vision;
  visionError?: Problem;
  rejection?: Problem;
  error?: Problem;
  attempts?: number;
  labelCorrections?: { added: LabelCorrection[]; removed: LabelCorrection[] };
  urls: { original?: string; thumbnails: Thumbnails };
  renditions?: Record<string, { url: string; expiresAt: string }>;
}

export interface SimilarPage {
  imageId: string;
  maxDistance: number;
  items: Array<{ imageId: string; distance: number; duplicate: boolean }>;
}

export interface ImageLabels {
  imageId: string;
  labels: Array<{ name: string; source: 'model' | 'user' }>;
}
