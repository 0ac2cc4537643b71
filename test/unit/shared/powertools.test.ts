import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createPowertools, instrument } from '../../../lambdas/shared/powertools';
import { lambdaContext, useApiEnv } from '../../support/api-events';

describe('Powertools outside Lambda', () => {
  const env = { POWERTOOLS_SERVICE_NAME: 'svc', POWERTOOLS_METRICS_NAMESPACE: 'Ns' };
  beforeEach(() => useApiEnv());
  afterEach(() => {
    delete process.env.AWS_EXECUTION_ENV;
    delete process.env.POWERTOOLS_TRACE_ENABLED;
  });

  it('disables the tracer when AWS_EXECUTION_ENV is unset (tests, the local runner)', () => {
    expect(createPowertools(env).tracer.isTracingEnabled()).toBe(false);
  });

  it('disables the tracer in a Lambda emulator with POWERTOOLS_TRACE_ENABLED=false', () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    expect(createPowertools(env).tracer.isTracingEnabled()).toBe(false);
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
