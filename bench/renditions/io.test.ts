import { DEFAULT_IO_MODEL, type IoModel, ioModelFromFlags, priced, s3ReadMs } from './io';
import { IoRecorder, type IoTrace, requestCounts, sequentialTrace } from './io-trace';

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

  it('adds calls made one after another, and counts the slowest of calls in flight together', () => {
    const inTurn = sequentialTrace(
      [
        { op: 'get', bytes: 1_000_000 },
        { op: 'get', bytes: 0 },
        { op: 'getItem' },
        { op: 'rekognition' },
        { op: 'rekognition' },
      ],
      0,
    );
    // (30 + 10) + 30 + 10 + 2 x 50
    expect(priced(inTurn, model).answerMs).toBeCloseTo(180, 9);
    expect(priced(sequentialTrace([], 0), model).answerMs).toBe(0);

    // The record, then a 404 and a 1 MB read together (the read's 40 ms counts), 5 ms of CPU, the answer; a PUT after.
    const overlapped: IoTrace = {
      calls: [
        { op: 'getItem', bytes: 0, after: [], gapMs: 0 },
        { op: 'miss', bytes: 0, after: [0], gapMs: 0 },
        { op: 'get', bytes: 1_000_000, after: [0], gapMs: 0 },
        { op: 'put', bytes: 0, after: [0, 1, 2], gapMs: 5 },
      ],
      answer: { after: [0, 1, 2], gapMs: 5 },
    };
    expect(priced(overlapped, model)).toEqual({ answerMs: 55, endMs: 85, computeMs: 5 });
  });

  it('waits for no call that was stopped, though each is billed', () => {
    const hit: IoTrace = {
      calls: [
        { op: 'getItem', bytes: 0, after: [], gapMs: 0 },
        { op: 'get', bytes: 6_000_000, after: [0], gapMs: 0, stopped: true },
        { op: 'get', bytes: 0, after: [0], gapMs: 0 },
      ],
      answer: { after: [0, 2], gapMs: 1 },
    };
    expect(priced(hit, model)).toEqual({ answerMs: 41, endMs: 41, computeMs: 1 });
    expect(requestCounts(hit)).toEqual({ get: 2, miss: 0, put: 0, getItem: 1, rekognition: 0 });
  });

  it("records a request's calls as its code makes them: together, in turn, or stopped", async () => {
    const recorder = new IoRecorder();
    await recorder.call('getItem', () => 'record');
    const stoppedAt = recorder.next;
    await Promise.all([
      recorder.call('miss', () => undefined),
      recorder.call(
        'get',
        () => Buffer.alloc(7),
        (b) => b.length,
      ),
    ]);
    recorder.stop(stoppedAt);
    await recorder.call('put', () => undefined, 3);
    recorder.answer();
    const trace = recorder.trace();
    expect(trace.calls.map(({ op, bytes, after, stopped }) => ({ op, bytes, after, stopped }))).toEqual([
      { op: 'getItem', bytes: 0, after: [], stopped: undefined },
      { op: 'miss', bytes: 0, after: [0], stopped: true },
      { op: 'get', bytes: 7, after: [0], stopped: undefined },
      { op: 'put', bytes: 3, after: [0, 2], stopped: undefined },
    ]);
    expect(trace.answer.after).toEqual([0, 2, 3]);
    expect(() => new IoRecorder().trace()).toThrow('no answer was recorded');
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
