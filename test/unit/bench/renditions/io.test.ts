import { DEFAULT_IO_MODEL, type IoModel, ioModelFromFlags, ioMs, s3ReadMs } from '../../../../bench/renditions/io';

const model: IoModel = { s3FirstByteMs: 30, s3MegabytesPerSecond: 100, dynamoGetItemMs: 10, rekognitionMs: 50 };

describe('the renditions bench I/O model', () => {
  it('prices a GetObject as the first byte plus the bytes at the transfer rate', () => {
    expect(s3ReadMs(0, model)).toBe(30);
    // 5 MB at 100 MB/s is 50 ms.
    expect(s3ReadMs(5_000_000, model)).toBeCloseTo(80, 9);
  });

  it('refuses a negative or non-finite byte count', () => {
    expect(() => s3ReadMs(-1, model)).toThrow(/bytes must be >= 0, got -1/);
    expect(() => s3ReadMs(Number.NaN, model)).toThrow(/got NaN/);
  });

  it('adds every read and every other call of a request', () => {
    const charge = { s3ReadBytes: [1_000_000, 0], dynamoGetItems: 1, rekognitionCalls: 2 };
    // (30 + 10) + 30 + 10 + 2 x 50
    expect(ioMs(charge, model)).toBeCloseTo(180, 9);
    expect(ioMs({ s3ReadBytes: [], dynamoGetItems: 0, rekognitionCalls: 0 }, model)).toBe(0);
  });

  it('takes parameters from command-line flags over the defaults', () => {
    const parsed = ioModelFromFlags({ 's3-first-byte-ms': '100', 'rekognition-ms': '0', rounds: '3' });
    expect(parsed).toEqual({ ...DEFAULT_IO_MODEL, s3FirstByteMs: 100, rekognitionMs: 0 });
    expect(ioModelFromFlags({})).toEqual(DEFAULT_IO_MODEL);
  });

  it('names the flag and the limit when a value is unusable', () => {
    expect(() => ioModelFromFlags({ 's3-first-byte-ms': 'fast' })).toThrow(
      "--s3-first-byte-ms must be a number of 0 or more, got 'fast'",
    );
    expect(() => ioModelFromFlags({ 'dynamo-get-ms': '-5' })).toThrow(/--dynamo-get-ms must be a number of 0 or more/);
    expect(() => ioModelFromFlags({ 's3-mb-per-s': '0' })).toThrow("--s3-mb-per-s must be a number above 0, got '0'");
    expect(() => ioModelFromFlags({ 's3-mb-per-s': '' })).toThrow(/--s3-mb-per-s/);
  });
});
