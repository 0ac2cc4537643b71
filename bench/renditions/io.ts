import { type IoCall, type IoTrace, replay, type Timeline } from './io-trace';

/**
 * What a rendition request pays for I/O, modelled rather than measured: the bench runs on one machine with no S3,
 * and moto's S3 on loopback answers a GET in about a millisecond and moves bytes at memory speed, which would make
 * reading a 6-34 MB original look free. So each contender's CPU time is measured and the I/O its code path does
 * (which objects it reads and writes, how many bytes, which other calls, in what order and overlap: io-trace.ts)
 * is recorded per request and priced here.
 *
 * Every figure is a parameter (`--s3-first-byte-ms`, ...) so a reader can put in their own region's numbers, and
 * the report recomputes the speed-ups for several first-byte latencies, since that one dominates small reads.
 */

/** The prices of the I/O operations the contenders perform. */
export interface IoModel {
  /** Time to the first byte of an S3 GetObject, whatever its size. */
  s3FirstByteMs: number;
  /** Transfer rate of one GetObject once the bytes flow, in MB/s (10^6 bytes). */
  s3MegabytesPerSecond: number;
  /** One DynamoDB GetItem (ours reads the image's record to plan the source). */
  dynamoGetItemMs: number;
  /** One Rekognition DetectFaces call (the reference pipeline's smart crop). */
  rekognitionMs: number;
}

/**
 * The defaults and where each comes from. They are chosen to be fair to the reference pipeline: a higher S3
 * first-byte latency would widen the gap on small outputs, since ours reads a small object and it a large one.
 */
export const DEFAULT_IO_MODEL: IoModel = {
  s3FirstByteMs: 30,
  s3MegabytesPerSecond: 85,
  dynamoGetItemMs: 10,
  rekognitionMs: 0,
};

/** One line per parameter for the results: the figure's source, or why it is what it is. */
export const IO_MODEL_SOURCES: Record<keyof IoModel, string> = {
  s3FirstByteMs:
    'AWS whitepaper "Best Practices Design Patterns: Optimizing Amazon S3 Performance", section "Timeouts and ' +
    'Retries for Latency-Sensitive Applications": for small requests (under 512 KB) "median latencies are often ' +
    'in the range of tens of milliseconds"; 30 ms is the middle of that. The often-quoted 100-200 ms first byte ' +
    'would favour ours further (see the sensitivity table)',
  s3MegabytesPerSecond:
    'same whitepaper, "Horizontal Scaling and Request Parallelization for High Throughput": "Make one concurrent ' +
    'request for each 85-90 MB/s of desired network throughput", i.e. one GetObject moves about 85-90 MB/s; the ' +
    'low end is used',
  dynamoGetItemMs:
    'DynamoDB\'s published "single-digit millisecond" reads, rounded up to 10 ms; charged to ours only (it reads ' +
    "the image's record: size, thumbnails, faces); the reference pipeline reads no record",
  rekognitionMs:
    'not published; 0 ms, which flatters the reference pipeline: its smart crop calls DetectFaces on every ' +
    'uncached request (and pays 0.001 USD per call)',
};

/** One call under the model: a GET's first byte and its bytes, a PUT alike, a 404's first byte, the others flat. */
export function callMs(call: IoCall, model: IoModel): number {
  switch (call.op) {
    case 'get':
    case 'put':
      return s3ReadMs(call.bytes, model);
    case 'miss':
      return model.s3FirstByteMs;
    case 'getItem':
      return model.dynamoGetItemMs;
    case 'rekognition':
      return model.rekognitionMs;
  }
}

/** One GetObject of `bytes`: the first byte, then the bytes at the transfer rate. A PutObject is priced the same. */
export function s3ReadMs(bytes: number, model: IoModel): number {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`s3ReadMs: bytes must be >= 0, got ${bytes}`);
  return model.s3FirstByteMs + (bytes / (model.s3MegabytesPerSecond * 1e6)) * 1000;
}

/** A request's trace replayed under `model` (io-trace.ts): when its answer goes out, when it ends, its CPU part. */
export function priced(trace: IoTrace, model: IoModel): Timeline {
  return replay(trace, (call) => callMs(call, model));
}

/** The command-line flag for each parameter. */
export const IO_FLAGS: Record<keyof IoModel, string> = {
  s3FirstByteMs: 's3-first-byte-ms',
  s3MegabytesPerSecond: 's3-mb-per-s',
  dynamoGetItemMs: 'dynamo-get-ms',
  rekognitionMs: 'rekognition-ms',
};

/**
 * The defaults with the flags given (`{'s3-first-byte-ms': '100'}`, as node:util's parseArgs returns them) put
 * over them; a value that is not a number, is negative, or a zero transfer rate is an error naming the flag.
 */
export function ioModelFromFlags(flags: Record<string, unknown>, base: IoModel = DEFAULT_IO_MODEL): IoModel {
  const model = { ...base };
  for (const [key, flag] of Object.entries(IO_FLAGS) as [keyof IoModel, string][]) {
    const given = flags[flag];
    if (given === undefined) continue;
    const value = typeof given === 'string' && given.trim() !== '' ? Number(given) : Number.NaN;
    const rate = key === 's3MegabytesPerSecond';
    if (!Number.isFinite(value) || value < 0 || (rate && value === 0)) {
      throw new RangeError(`--${flag} must be a number ${rate ? 'above 0' : 'of 0 or more'}, got '${String(given)}'`);
    }
    model[key] = value;
  }
  return model;
}
