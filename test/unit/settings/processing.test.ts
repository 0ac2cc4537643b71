import { DEFAULT_SETTINGS } from '../../../lambdas/settings';
import {
  imagesInFlight,
  processingProblems,
  processorConcurrency,
  worstImageMb,
} from '../../../lambdas/settings/processing';

describe('processor sizing', () => {
  it('counts an image at worst as its upload, 2.7 bytes per pixel and 32 MB', () => {
    const limits = { maxUploadBytes: 25 * 1024 * 1024, maxRawUploadBytes: 150 * 1024 * 1024 };
    // No camera RAW type allowed: its limit does not count.
    expect(worstImageMb({ ...limits, allowedTypes: ['image/jpeg'], maxPixels: 100_000_000 })).toBe(315);
  });

  it('counts the larger upload limit, a camera RAW held whole while its preview is decoded', () => {
    const limits = { maxUploadBytes: 25 * 1024 * 1024, maxRawUploadBytes: 150 * 1024 * 1024 };
    expect(worstImageMb({ ...limits, allowedTypes: ['image/x-nikon-nef'], maxPixels: 100_000_000 })).toBe(440);
  });

  it('takes as many images at once as fit the memory at worst, at most the batch size', () => {
    // The defaults allow a camera RAW of 150 MiB: 440 MB at worst each.
    expect(imagesInFlight(DEFAULT_SETTINGS)).toBe(6);
    expect(imagesInFlight({ ...DEFAULT_SETTINGS, processorMemoryMb: 10_240 })).toBe(10);
    expect(imagesInFlight({ ...DEFAULT_SETTINGS, processorMemoryMb: 1024 })).toBe(1);
  });

  it('lets a setting lower the derived bound but never raise it past the memory', () => {
    expect(imagesInFlight({ ...DEFAULT_SETTINGS, processorImagesInFlight: 1 })).toBe(1);
    expect(imagesInFlight({ ...DEFAULT_SETTINGS, processorImagesInFlight: 50 })).toBe(6);
  });

  it('keeps Rekognition under rekognitionTps, with at least 2 invocations', () => {
    const rekognition = { ...DEFAULT_SETTINGS, inference: 'rekognition' as const };
    expect(processorConcurrency(rekognition)).toBe(8);
    expect(processorConcurrency({ ...rekognition, rekognitionTps: 1 })).toBe(2);
    expect(processorConcurrency({ ...DEFAULT_SETTINGS, inference: 'none' })).toBe(200);
    expect(processorConcurrency({ ...rekognition, processorMaxConcurrency: 40 })).toBe(40);
  });

  it('finds nothing wrong with the defaults', () => {
    expect(processingProblems(DEFAULT_SETTINGS)).toEqual([]);
  });
});
