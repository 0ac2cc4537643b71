import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createPowertools, instrument, tracesHere } from '../../../lambdas/shared/powertools';
import { lambdaContext, useApiEnv } from '../../support/api-events';

// Counts the loads of the tracer module: loading it enables the X-Ray SDK's async hook for the whole process.
let mockTracerLoads = 0;
jest.mock('@aws-lambda-powertools/tracer', () => {
  mockTracerLoads += 1;
  return jest.requireActual('@aws-lambda-powertools/tracer');
});

describe('Powertools outside Lambda', () => {
  const env = { POWERTOOLS_SERVICE_NAME: 'svc', POWERTOOLS_METRICS_NAMESPACE: 'Ns' };
  beforeEach(() => useApiEnv());
  afterEach(() => {
    delete process.env.AWS_EXECUTION_ENV;
    delete process.env.POWERTOOLS_TRACE_ENABLED;
    delete process.env.AWS_SAM_LOCAL;
  });

  it('has no tracer, and loads none, when AWS_EXECUTION_ENV is unset (tests, the local runner)', () => {
    expect(createPowertools(env).tracer).toBeUndefined();
    expect(mockTracerLoads).toBe(0);
  });

  it.each([
    ['POWERTOOLS_TRACE_ENABLED=false', { POWERTOOLS_TRACE_ENABLED: 'FALSE' }],
    ['SAM local', { AWS_SAM_LOCAL: 'true' }],
    ["Amplify's mock", { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }],
  ])('has none in a Lambda emulator with %s, as Powertools would not trace there', (_name, set) => {
    Object.assign(process.env, { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', ...set });
    expect(tracesHere()).toBe(false);
    expect(createPowertools(env).tracer).toBeUndefined();
    expect(mockTracerLoads).toBe(0);
  });

  it('traces in Lambda, loading the tracer then', () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    expect(tracesHere()).toBe(true);
    expect(createPowertools(env).tracer?.isTracingEnabled()).toBe(true);
    expect(mockTracerLoads).toBe(1);
  });

  it('runs an instrumented handler without an X-Ray daemon', async () => {
    const tools = createPowertools(env);
    const handler = instrument(async (event: { n: number }) => {
      tools.metrics.addMetric('Calls', MetricUnit.Count, 1);
      return event.n + 1;
    }, tools);
    await expect(handler({ n: 1 }, lambdaContext, { signal: new AbortController().signal })).resolves.toBe(2);
  });
});

describe("Metrics' own messages", () => {
  const env = { POWERTOOLS_SERVICE_NAME: 'svc', POWERTOOLS_METRICS_NAMESPACE: 'Ns' };
  const invoke = async (body: (tools: ReturnType<typeof createPowertools>) => void) => {
    const tools = createPowertools(env);
    const handler = instrument(async () => body(tools), tools);
    await handler({}, lambdaContext, { signal: new AbortController().signal });
  };
  let log: jest.SpyInstance;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    // Dev mode writes through the global console; metrics on, warnings shown, as the runner logs.
    useApiEnv({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_LOG_LEVEL: 'WARN' });
    log = jest.spyOn(console, 'log').mockImplementation(() => {});
    warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    jest.spyOn(console, 'debug').mockImplementation(() => {});
  });
  afterEach(() => {
    jest.restoreAllMocks();
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });
  const warned = () => warn.mock.calls.flat().map(String).join('\n');

  it('says nothing at WARN after an invocation that added no metric', async () => {
    await invoke(() => {});
    expect(warned()).not.toMatch(/No application metrics/);
  });

  it('still publishes the metrics an invocation adds', async () => {
    await invoke((tools) => tools.metrics.addMetric('Calls', MetricUnit.Count, 1));
    expect(log.mock.calls.flat().map(String).join('\n')).toMatch(/"Calls":1/);
  });

  it('still warns of a dimension CloudWatch would drop, through the logger', async () => {
    await invoke((tools) => {
      tools.metrics.addDimension('', 'x');
      tools.metrics.addMetric('Calls', MetricUnit.Count, 1);
    });
    expect(warned()).toMatch(/"level": "WARN"[\s\S]*dimension[\s\S]*won't be added/);
  });
});
