import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
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
  // The log level is left to the Logger, which also honours Lambda's own AWS_LAMBDA_LOG_LEVEL.
  const logger = new Logger({ serviceName });
  return {
    logger,
    metrics: new Metrics({ serviceName, namespace: env.POWERTOOLS_METRICS_NAMESPACE, logger: metricsLogger(logger) }),
    tracer: new Tracer({ serviceName }),
  };
}

/** What Metrics says after an invocation that added no metric of its own (the cold start is counted apart). */
const NO_METRICS = /^No application metrics to publish/;

/**
 * Metrics' own messages in the function's log, through its logger: Powertools' `logger` option, which it gives for
 * quieting them (powertools-lambda-typescript#2126). The one it writes after every invocation that added no metric
 * (a request that counted nothing on its way, a 4xx, a function that counts nothing) is a debug line, not a warning
 * each time; every other (a dimension or a metric CloudWatch would drop) stays a warning. What is published is
 * unchanged.
 */
function metricsLogger(logger: Logger): NonNullable<MetricsOptions['logger']> {
  return {
    debug: (...content) => logger.debug(content.join(' ')),
    info: (...content) => logger.info(content.join(' ')),
    warn: (...content) =>
      NO_METRICS.test(String(content[0])) ? logger.debug(content.join(' ')) : logger.warn(content.join(' ')),
    error: (...content) => logger.error(content.join(' ')),
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
