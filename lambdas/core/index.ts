export { type AnalysisResult, analyzeImage, decodeRaster, type Raster, type Thumbnail } from './analyze';
export { ImageRejectedError } from './errors';
export { type AnalyzeOptions, AnalyzeOptionsSchema, type ResolvedAnalyzeOptions } from './options';
export { hammingDistance, perceptualHash } from './phash';
export * from './record';
export { sniffFormat } from './sniff';
