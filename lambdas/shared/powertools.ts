import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { PowertoolsEnv } from './contract';

export interface Powertools {
  logger: Logger;
  metrics: Metrics;
  /** None where Powertools would not trace (tracesHere): outside Lambda, under SAM local, or turned off. */
  tracer?: Tracer;
}

/**
 * One logger, metrics and tracer per function, made at load. Nothing here needs an X-Ray daemon: where Powertools'
 * tracer would disable itself there is none, and clients go untraced, as a disabled tracer would leave them.
 */
export function createPowertools(env: PowertoolsEnv): Powertools {
  const serviceName = env.POWERTOOLS_SERVICE_NAME;
  // The log level is left to the Logger, which also honours Lambda's own AWS_LAMBDA_LOG_LEVEL.
  const logger = new Logger({ serviceName });
  return {
    logger,
    metrics: new Metrics({ serviceName, namespace: env.POWERTOOLS_METRICS_NAMESPACE, logger: metricsLogger(logger) }),
    tracer: tracesHere() ? tracer(serviceName) : undefined,
  };
}

/**
 * Where Powertools' Tracer would trace, by its own rule (Tracer.setTracingEnabled): in Lambda (`AWS_EXECUTION_ENV`
 * set), neither under SAM local nor Amplify's mock, and not turned off by `POWERTOOLS_TRACE_ENABLED=false`.
 */
export function tracesHere(env: NodeJS.ProcessEnv = process.env): boolean {
  const execution = env.AWS_EXECUTION_ENV ?? '';
  return (
    execution !== '' &&
    execution !== 'AWS_Lambda_amplify-mock' &&
    (env.AWS_SAM_LOCAL ?? '') === '' &&
    (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false'
  );
}

/**
 * The tracer module is loaded only where it traces. Loading it is not free: the X-Ray SDK under it enables an async
 * hook with a destroy callback (cls-hooked's namespace, aws/aws-xray-sdk-node#420) that every promise the process
 * makes then pays, traced or not. 300,000 awaits took 33 ms without it and 350 to 420 ms with it (Node 22); the local
 * runner's profile spent more time in that hook than in sharp's JavaScript. In a jest worker each test file that
 * loaded it added one more hook, for every later file.
 */
function tracer(serviceName: string): Tracer {
  const { Tracer } = require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
  return new Tracer({ serviceName });
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
    ...(tracer ? [captureLambdaHandler(tracer)] : []),
    injectLambdaContext(logger, { resetKeys: true }),
    logMetrics(metrics, { captureColdStartMetric: true }),
  ];
}
