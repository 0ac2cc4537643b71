import { DEFAULT_SETTINGS } from '../../lambdas/settings';
import { imagesInFlight, processorConcurrency } from '../../lambdas/settings/processing';
import { ASSUMPTIONS, PRICES, QUOTAS } from '../support/aws-assumptions';
import { costPer1000 } from './cost';
import {
  bindingLimits,
  capacityModel,
  type LimitRow,
  lambdaVcpus,
  limitRow,
  type ModelInput,
  partitionRows,
  processorSeconds,
  s3Traffic,
} from './model';

const settings = { ...DEFAULT_SETTINGS, inference: 'none' as const };

/** A measured image with round figures, so the expected numbers can be worked out by hand. */
function input(overrides: Partial<ModelInput['image']> = {}): ModelInput {
  return {
    rate: 1000,
    settings,
    deployed: {
      processorMemoryMb: 1769 * 2,
      apiMemoryMb: 1769 / 4,
      batchSize: 10,
      maxConcurrency: processorConcurrency(settings),
      stageRateLimit: 50,
      stageBurstLimit: 100,
    },
    image: {
      label: 'test',
      processorAloneS: 0.4,
      processorCpuS: 0.2,
      requests: { 'events.PutEvents': 1, 's3.PutObject': 3, 'dynamodb.UpdateItem': 2 },
      s3ByPrefix: { 'uploads/': { writes: 1, reads: 1 }, 'thumbnails/': { writes: 3, reads: 0 } },
      originalBytes: 4_000_000,
      thumbnailBytes: 200_000,
      eventBytes: 500,
      dynamodb: {
        writes: [
          { name: 'put', beforeBytes: 0, afterBytes: 300, units: 1 },
          { name: 'finalise', beforeBytes: 300, afterBytes: 1500, units: 2 },
          { name: 'clear', beforeBytes: 1500, afterBytes: 1490, units: 2 },
        ],
        reads: [{ name: 'get', units: 1 }],
        itemBytes: 1490,
        indexes: [
          {
            indexName: 'byCreatedSharded',
            partitionKey: 'listShard',
            current: true,
            spread: { kind: 'sharded', shards: 16 },
            writesPerImage: 2,
            unitsPerImage: 2,
            entryBytes: 180,
            groups: [{ group: 'IMAGE', unitsPerImage: 2 }],
          },
          {
            indexName: 'byCreated',
            partitionKey: 'entity',
            current: false,
            spread: { kind: 'constant' },
            writesPerImage: 3,
            unitsPerImage: 5,
            entryBytes: 1490,
            groups: [{ group: 'IMAGE', unitsPerImage: 5 }],
          },
        ],
      },
      postings: { count: 14, units: 16, bytes: 9000, everyImageUnits: 2 },
      ...overrides,
    },
    api: { createUploadS: 0.02, createUploadCpuS: 0.005, getImageS: 0.02, getImageCpuS: 0.005, getImageReadUnits: 1 },
    quotas: QUOTAS,
    prices: PRICES,
    assumptions: ASSUMPTIONS,
  };
}

describe('Lambda in the capacity model', () => {
  it('gives one vCPU per 1,769 MB, at most 6', () => {
    expect(lambdaVcpus(1769, QUOTAS)).toBe(1);
    expect(lambdaVcpus(3008, QUOTAS)).toBeCloseTo(1.7, 2);
    expect(lambdaVcpus(20_000, QUOTAS)).toBe(6);
  });

  it('takes the larger of the latency bound and the CPU bound per image', () => {
    expect(processorSeconds({ aloneS: 0.4, cpuS: 0.2, imagesInFlight: 8, vcpus: 2, coreSpeed: 1 })).toEqual({
      latencyBound: 0.05,
      cpuBound: 0.1,
      perImage: 0.1,
    });
    expect(processorSeconds({ aloneS: 2, cpuS: 0.2, imagesInFlight: 4, vcpus: 2, coreSpeed: 1 }).perImage).toBe(0.5);
  });

  it('needs rate x seconds per image executions, compared with the event source maximum from the settings', () => {
    const result = capacityModel(input());
    expect(result.inFlight).toBe(imagesInFlight(settings));
    expect(result.concurrency.processor).toBeCloseTo(100, 6);
    const row = result.rows.find((r) => r.what.startsWith('processor concurrency'));
    // 100 executions at 1,000 images/s: the limit is reached at 10 images/s per execution allowed.
    expect(row).toMatchObject({ limit: processorConcurrency(settings), maxRate: processorConcurrency(settings) * 10 });
  });
});

describe('DynamoDB in the capacity model', () => {
  it('spreads a sharded group over its shards and shows what one constant value would take', () => {
    const [sharded, old] = partitionRows(input().image.dynamodb.indexes, 1000);
    expect(sharded).toMatchObject({ group: 'IMAGE', valuesPerGroup: 16, perValue: 125, ifConstant: 2000 });
    expect(old).toMatchObject({ current: false, valuesPerGroup: 1, perValue: 5000 });
  });

  it('checks the hottest key value of the current design against 1,000 WCU/s', () => {
    const row = capacityModel(input()).rows.find((r) => r.what.startsWith('hottest partition key value'));
    expect(row).toMatchObject({ needed: 125, limit: 1000, maxRate: 8000 });
  });

  it("checks one owner's hottest posting key value, `all` over its 4 shards, against 1,000 WCU/s", () => {
    const row = capacityModel(input()).rows.find((r) => r.what.startsWith('hottest search posting'));
    // 1,000 images/s x 2 WCU over 4 shards.
    expect(row).toMatchObject({ needed: 500, limit: 1000, maxRate: 2000 });
  });

  it('counts the search postings as writes on a table of their own', () => {
    const result = capacityModel(input());
    expect(result.dynamodb.postingWcuPerImage).toBe(16);
    expect(result.rows.find((r) => r.what.startsWith('search table writes (default'))?.needed).toBe(16_000);
  });

  it('counts table write units per image times the rate', () => {
    const result = capacityModel(input());
    expect(result.dynamodb.tableWcuPerImage).toBe(5);
    expect(result.rows.find((r) => r.what.startsWith('table writes (default'))?.needed).toBe(5000);
  });
});

describe('limits', () => {
  const row = (what: string, area: string, needed: number, limit: number, kind: LimitRow['kind'] = 'hard') =>
    limitRow({ area, what, needed, limit, unit: 'x', kind, moves: 'm' }, 1000);

  it('finds the rate at which a limit is reached', () => {
    expect(row('a', 'S3', 3000, 3500).maxRate).toBeCloseTo(1166.67, 1);
    expect(row('b', 'SQS', 1200, Number.POSITIVE_INFINITY).maxRate).toBe(Number.POSITIVE_INFINITY);
  });

  it('binds on the lowest hard limit, ignoring starting capacities, and lists the next ones in order', () => {
    const rows = [
      row('stage', 'API Gateway', 1000, 50),
      row('new table', 'DynamoDB', 5000, 4000, 'ramp'),
      row('concurrency', 'Lambda', 125, 100),
      row('thumbnails', 'S3', 3000, 3500),
    ];
    const { first, then } = bindingLimits(rows);
    expect(first.what).toBe('stage');
    expect(then.map((r) => r.what)).toEqual(['concurrency', 'thumbnails']);
  });

  it('adds the client downloads to the thumbnail prefix reads', () => {
    expect(s3Traffic(input().image, ASSUMPTIONS)['thumbnails/']).toEqual({ writes: 3, reads: 1 });
  });

  it('tops out at rekognitionTps images a second with Rekognition', () => {
    expect(capacityModel(input()).rekognition).toMatchObject({
      maxRate: settings.rekognitionTps,
      callsPerApiPerSecond: 1000,
    });
  });
});

describe('cost per 1,000 images', () => {
  const cost = costPer1000(input(), { processorS: 0.1, createS: 0.02, getS: 0.02 });
  const usd = (item: string) => cost.rows.find((r) => r.item.startsWith(item))?.usd;

  it('prices the processor by execution-seconds per image and its memory', () => {
    expect(usd('Lambda compute, processor')).toBeCloseTo(0.1 * 2 * 1000 * PRICES.lambdaArmGbSecond * (1769 / 1024), 8);
  });

  it('prices DynamoDB writes on the table, the current indexes and the search postings', () => {
    // 5 table + 2 index + 16 posting WRU; 1 processor + 1 API read unit.
    expect(usd('DynamoDB on demand')).toBeCloseTo((23 * 1000 * 0.625 + 2 * 1000 * 0.125) / 1e6, 10);
  });

  it('prices S3 requests from the writes and reads per image, with the client download', () => {
    expect(usd('S3 requests')).toBeCloseTo(((4 * 0.005 + 2 * 0.0004) / 1000) * 1000, 10);
  });

  it('keeps storage apart, per month, and Rekognition at 4 APIs a image', () => {
    expect(cost.rows.filter((r) => r.monthly).map((r) => r.item)).toEqual(['S3 storage', 'DynamoDB storage']);
    expect(cost.pipeline).toBeCloseTo(
      cost.rows.filter((r) => !r.monthly).reduce((sum, r) => sum + r.usd, 0),
      12,
    );
    expect(cost.rekognition).toBe(4);
  });
});
