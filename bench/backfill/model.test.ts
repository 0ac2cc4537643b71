import { DEFAULT_SETTINGS, type DeploymentSettings } from '../../lambdas/settings';
import { ASSUMPTIONS, PRICES, QUOTAS } from '../support/aws-assumptions';
import { backfillCost } from './cost';
import { perObject, recordWrites } from './figures';
import { type BackfillModelInput, backfillRates, backfillTime, executionSeconds, settingsForDeadline } from './model';

const settings: DeploymentSettings = { ...DEFAULT_SETTINGS, inference: 'none', processorMemoryMb: 1769 * 2 };

/** Round figures, so the expected numbers can be worked out by hand: 2 vCPUs, 0.2 CPU-s a photo -> 0.1 s. */
function input(overrides: Partial<BackfillModelInput['measured']> = {}): BackfillModelInput {
  return {
    objects: 1_000_000,
    deadlineS: 3600,
    settings,
    measured: {
      cpuS: 0.2,
      childS: 0.5,
      s3WritesByPrefix: { 'thumbnails/': 3, 'renditions/': 1 },
      recordWru: 9,
      postingWru: 10,
      ...overrides,
    },
    quotas: QUOTAS,
    assumptions: { lambdaCoreSpeed: 1 },
  };
}

describe('the backfill model', () => {
  it('binds on the slowest hard limit and finishes after the pollers ramp up', () => {
    const time = backfillTime(input());
    // The processor: 200 executions / 0.1 s = 2,000/s; the map: 100 x 10 / 0.5 s = 2,000/s; thumbnails/ 3,500 / 3.
    expect(time.binding.what).toMatch(/thumbnails\//);
    expect(time.binding.rate).toBeCloseTo(3500 / 3);
    expect(time.rampS).toBeCloseTo(((200 - 5) / 300) * 60);
    expect(time.seconds).toBeCloseTo(time.rampS + 1_000_000 / (3500 / 3));
  });

  it('binds on the map when its children are slow', () => {
    const time = backfillTime(input({ childS: 2 }));
    expect(time.binding.what).toMatch(/enqueueing/);
    expect(time.binding.rate).toBeCloseTo(500);
  });

  it("never lets a new table's starting capacity bind: it ramps", () => {
    const rows = backfillRates(input({ postingWru: 100 }));
    expect(rows[0]?.kind).toBe('ramp');
    expect(backfillTime(input({ postingWru: 100 })).binding.kind).toBe('hard');
  });

  it('with Rekognition, paces the processor by its derived concurrency and caps the rate at the TPS', () => {
    // A library of photos, no camera RAW (whose 150 MiB limit would size the processor for 7 at a time).
    const rekognition = {
      ...settings,
      inference: 'rekognition' as const,
      processorImagesInFlight: 8,
      maxRawUploadBytes: settings.maxUploadBytes,
    };
    // 8 images in flight: 1 s / 8 = 0.125 s a photo beats the CPU's 0.1; floor(50 / 8) = 6 executions -> 48/s.
    expect(executionSeconds(0.2, rekognition, QUOTAS, 1).perImage).toBeCloseTo(0.125);
    const time = backfillTime(input(), rekognition);
    expect(time.binding.rate).toBeCloseTo(48);
    const raised = backfillTime(input(), { ...rekognition, rekognitionTps: 40, processorMaxConcurrency: 100 });
    expect(raised.binding.area).toBe('Rekognition');
  });

  it('finds the least concurrency for an hour, and with Rekognition the least TPS', () => {
    const none = settingsForDeadline(input(), 'none').explicit;
    const concurrency = none?.settings.processorMaxConcurrency as number;
    expect(none?.seconds).toBeLessThanOrEqual(3600);
    expect(backfillTime(input(), { ...settings, processorMaxConcurrency: concurrency - 1 }).seconds).toBeGreaterThan(
      3600,
    );
    const rekognition = settingsForDeadline(input(), 'rekognition');
    expect(rekognition.explicit?.settings.rekognitionTps).toBeGreaterThanOrEqual(278);
    expect(rekognition.explicit?.seconds).toBeLessThanOrEqual(3600);
    expect(rekognition.derived?.settings.processorMaxConcurrency).toBeUndefined();
  });
});

describe('the backfill figures', () => {
  it("sets the runner's Step Functions calls apart and names S3's list", () => {
    const split = perObject({ 'states.StartExecution': 2, 's3.GET ?prefix': 1, 's3.GetObject': 20 }, 20);
    expect(split).toEqual({
      pipeline: { 's3.ListObjectsV2': 0.05, 's3.GetObject': 1 },
      stepFunctions: { 'states.StartExecution': 0.1 },
    });
  });

  it('counts a backfilled record from nothing: created with the event flag, then cleared', () => {
    const final = { imageId: { S: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, status: { S: 'PROCESSED' } };
    // Two small writes to the table; the record is in no index without their key attributes.
    expect(recordWrites([final])).toMatchObject({ tableWru: 2, indexWru: 0 });
  });
});

describe('the backfill cost', () => {
  it('bills the parent per child, the children per request and 100 ms, SQS per batch', () => {
    const cost = backfillCost(
      1_000_000,
      10,
      {
        processorS: 0.1,
        processorGb: 2,
        childS: 0.41,
        s3Puts: 4,
        s3Gets: 1,
        recordWru: 9,
        postingWru: 10,
        rru: 2.5,
        putEvents: 1,
        eventBytes: 0,
        derivedBytes: 0,
        dynamoBytes: 0,
      },
      PRICES,
      ASSUMPTIONS,
    );
    const usd = (item: RegExp) => cost.rows.find((row) => item.test(row.item))?.usd;
    expect(usd(/STANDARD/)).toBeCloseTo((100_004 * 0.025) / 1000);
    expect(usd(/EXPRESS/)).toBeCloseTo(0.1 + 100_000 * 0.5 * (64 / 1024) * 0.00001667);
    expect(usd(/^SQS/)).toBeCloseTo(0.12);
    expect(usd(/S3 requests/)).toBeCloseTo((1000 + 4_000_000) * 0.000005 + 1_000_000 * 0.0000004);
    expect(cost.rekognition).toBe(4000);
  });
});
