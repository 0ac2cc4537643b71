import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Env } from './contract';

/**
 * SDK clients for the functions, made once at load. No endpoint is set here: the SDK reads `AWS_ENDPOINT_URL`
 * (and `AWS_ENDPOINT_URL_<SERVICE>`) by itself, which is how the local runner points them at an emulator.
 */

export function createS3Client(env: S3Env, tracer?: Tracer): S3Client {
  return traced(new S3Client({ forcePathStyle: env.AWS_S3_FORCE_PATH_STYLE }), tracer);
}

/**
 * Items carry optional fields; leaving one undefined must not fail the marshalling. `maxAttempts` (default: the
 * SDK's, 3) bounds the tries of each call: 1 for a write that is best effort and must not hold its answer.
 */
export function createDocumentClient(tracer?: Tracer, options: { maxAttempts?: number } = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(traced(new DynamoDBClient(options), tracer), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createEventBridgeClient(tracer?: Tracer): EventBridgeClient {
  return traced(new EventBridgeClient({}), tracer);
}

export function createSqsClient(tracer?: Tracer): SQSClient {
  return traced(new SQSClient({}), tracer);
}

/** The backfill functions' client: the local runner points it at its Step Functions API (`AWS_ENDPOINT_URL_SFN`). */
export function createStepFunctionsClient(tracer?: Tracer): SFNClient {
  return traced(new SFNClient({}), tracer);
}

/** Traced where the function has a tracer (shared/powertools.ts); as it is where it has none. */
export function traced<T>(client: T, tracer: Tracer | undefined): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/**
 * A Rekognition client whose retry strategy absorbs throttling: adaptive mode backs off with jitter and
 * rate-limits the client itself once Rekognition says ThrottlingException or ProvisionedThroughputExceeded.
 */
export function createRekognitionClient(
  config: ConstructorParameters<typeof RekognitionClient>[0] = {},
): RekognitionClient {
  return new RekognitionClient({ maxAttempts: 6, retryMode: 'adaptive', ...config });
}
