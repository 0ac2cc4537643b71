export { type AnalysisResult, analyzeImage, type Thumbnail } from './analyze';
export { ImageRejectedError } from './errors';
export { type AnalyzeOptions, AnalyzeOptionsSchema, type ResolvedAnalyzeOptions } from './options';
export { hammingDistance, perceptualHash } from './phash';
export { decodeRaster, type Pixels, type Raster } from './raster';
export * from './record';
export { sniffFormat } from './sniff';
