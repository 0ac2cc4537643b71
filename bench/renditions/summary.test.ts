import type { IoModel } from './io';
import { sequentialTrace } from './io-trace';
import { MIX, type MixRequest } from './requests';
import { rotate, SAMPLE_COLUMNS, type Sample, sampleRows } from './run';
import { cellSpeedup, cells, headline, sensitivity } from './summary';

const model: IoModel = { s3FirstByteMs: 30, s3MegabytesPerSecond: 100, dynamoGetItemMs: 10, rekognitionMs: 0 };
const small = MIX[0] as MixRequest;
const large = MIX[2] as MixRequest;

/** A timed sample reading one object of `bytes` (plus the record for ours). */
function sample(contender: Sample['contender'], request: string, computeMs: number, bytes: number): Sample {
  return {
    round: 1,
    contender,
    original: 'p.jpeg-baseline',
    photo: 'p',
    format: 'jpeg-baseline',
    request,
    trace: sequentialTrace(
      [...(contender === 'ours' ? [{ op: 'getItem' as const }] : []), { op: 'get', bytes }],
      computeMs,
    ),
    outBytes: 10_000,
    width: 400,
    height: 225,
    sizeOk: true,
  };
}

describe('renditions bench summary', () => {
  it('prices each sample and takes medians and one-at-a-time rates per cell', () => {
    // ours: 50 + 30 + 10 (record) + 1 ms for 100 KB = 91 ms; the reference: 200 + 30 + 60 ms for 6 MB = 290 ms.
    const samples = [
      sample('ours', small.name, 50, 100_000),
      sample('ours', small.name, 70, 100_000),
      sample('ours', small.name, 30, 100_000),
      sample('dit', small.name, 200, 6_000_000),
    ];
    const table = cells(samples, model);
    const ours = table.get(`ours|${small.name}|jpeg-baseline`);
    expect(ours?.medianMs).toBeCloseTo(91, 9);
    expect(ours?.medianComputeMs).toBe(50);
    expect(ours?.medianIoMs).toBeCloseTo(41, 9);
    expect(ours?.perSecond).toBeCloseTo((3 / (71 + 91 + 111)) * 1000, 9);
    expect(cellSpeedup(table, 'ours', small.name, 'jpeg-baseline')).toBeCloseTo(290 / 91, 9);
  });

  it('leaves out of the mean the cells the reference cannot do, and says which', () => {
    const failed = { ...sample('dit', small.name, Number.NaN, 6_000_000), format: 'heic' as const, error: 'no HEVC' };
    const samples = [
      sample('ours', small.name, 50, 100_000),
      sample('dit', small.name, 200, 6_000_000),
      { ...sample('ours', small.name, 50, 100_000), format: 'heic' as const },
      failed,
    ];
    const { ours } = headline(samples, model, [small], ['jpeg-baseline', 'heic']);
    expect(ours.cells).toBe(1);
    expect(ours.excluded).toEqual([`${small.name} from heic`]);
    expect(cells(samples, model).get(`dit|${small.name}|heic`)).toMatchObject({ n: 0, error: 'no HEVC' });
  });

  it('counts only outputs up to 1024 px in the headline for ours', () => {
    const samples = [
      sample('ours', small.name, 50, 100_000),
      sample('dit', small.name, 250, 6_000_000),
      sample('ours', large.name, 500, 6_000_000),
      sample('dit', large.name, 100, 6_000_000),
    ];
    const { ours } = headline(samples, model, [small, large], ['jpeg-baseline']);
    expect(ours.cells).toBe(1);
    expect(ours.value).toBeCloseTo(340 / 91, 9);
  });

  it('shows a stored rendition gaining less over the reference as S3 first bytes get slower', () => {
    const samples = [
      sample('stored', small.name, 0, 10_000),
      sample('ours', small.name, 50, 100_000),
      sample('dit', small.name, 200, 6_000_000),
    ];
    const rows = sensitivity(samples, model, [small], ['jpeg-baseline'], [10, 100]);
    expect(rows.map((r) => r.firstByteMs)).toEqual([10, 100]);
    expect(rows[0]?.stored).toBeGreaterThan(rows[1]?.stored as number);
  });

  it('rotates the order of requests and contenders from one to the next', () => {
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
    expect(rotate(['a', 'b', 'c'], -1)).toEqual(['c', 'a', 'b']);
    expect(rotate([], 3)).toEqual([]);
  });

  it('writes each sample as one line of its columns, the trace as its calls', () => {
    const failed = { ...sample('dit', small.name, Number.NaN, 6_000_000), error: 'bad | worse' };
    const timed = sample('ours', small.name, 12.345, 100_000);
    const [failedRow, timedRow] = sampleRows([failed, timed]);
    const fields = (row: string | undefined) => row?.split('|') ?? [];
    expect(fields(failedRow)).toHaveLength(SAMPLE_COLUMNS.length);
    const value = (row: string | undefined, column: (typeof SAMPLE_COLUMNS)[number]) =>
      fields(row)[SAMPLE_COLUMNS.indexOf(column)];
    expect(value(failedRow, 'trace')).toBe('');
    expect(value(failedRow, 'sourceOrError')).toBe('bad / worse');
    expect(value(timedRow, 'trace')).toBe('getItem:0::0;get:100000:0:0;answer:1:12.35');
  });
});
