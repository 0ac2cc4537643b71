import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { PowertoolsEnv } from './contract';

export interface Powertools {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

/**
 * One logger, metrics and tracer per function, made at load.
 *
 * The tracer is safe outside Lambda: Powertools disables it by itself when `AWS_EXECUTION_ENV` is unset (unit
 * tests, the local runner), under SAM local, or with `POWERTOOLS_TRACE_ENABLED=false`. Disabled, it opens no
 * segments, `captureAWSv3Client` hands the client back untouched and the middleware does nothing, so nothing
 * here needs an X-Ray daemon. Only a Lambda emulator that sets `AWS_EXECUTION_ENV` needs
 * `POWERTOOLS_TRACE_ENABLED=false` as well.
 */
export function createPowertools(env: PowertoolsEnv): Powertools {
  const serviceName = env.POWERTOOLS_SERVICE_NAME;
  return {
    // The log level is left to the Logger, which also honours Lambda's own AWS_LAMBDA_LOG_LEVEL.
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ serviceName, namespace: env.POWERTOOLS_METRICS_NAMESPACE }),
    tracer: new Tracer({ serviceName }),
  };
}

/** Wrap a handler with the three Powertools middlewares: a traced invocation, context in logs, metrics flushed. */
export function instrument<TEvent, TResult>(
  handler: (event: TEvent, context: Context) => Promise<TResult>,
  { logger, metrics, tracer }: Powertools,
) {
  return middy<TEvent, TResult>(handler).use(powertoolsMiddlewares({ logger, metrics, tracer }));
}

/** The Powertools middlewares every handler runs under: tracing, the logger's context, metrics with cold starts. */
export function powertoolsMiddlewares({ logger, metrics, tracer }: Powertools) {
  return [
    captureLambdaHandler(tracer),
    injectLambdaContext(logger, { resetKeys: true }),
    logMetrics(metrics, { captureColdStartMetric: true }),
  ];
}
