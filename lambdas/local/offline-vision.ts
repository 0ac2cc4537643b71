import type { IVisionProvider, VisionInput } from '../functions/processor/ports';

/**
 * The offline models in-process (the runner has no container-image function to invoke): same library, same
 * result as the inference Lambda, on the raster the core already decoded.
 */
export class OfflineVision implements IVisionProvider {
  readonly wantsRaster = true;

  constructor(private readonly options: { moderationThreshold: number }) {}

  async analyze(input: VisionInput) {
    if (!input.raster) throw new Error('the offline provider needs the decoded raster');
    // Loaded on first use, so `--inference none` never loads ONNX Runtime or TF.js.
    const { analyzeOffline } = await import('../vision/offline');
    return analyzeOffline(input.raster, input.colour, { moderationThreshold: this.options.moderationThreshold });
  }
}
