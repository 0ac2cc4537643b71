/**
 * What the capacity model takes as given rather than measures: AWS's default quotas and list prices, and the
 * assumptions a local run cannot settle. Each figure names where it comes from; all are inputs of the model, so
 * a reader with other quotas or prices can change one line and run `npm run bench:capacity` again.
 */

/** Default quotas (per account and Region unless stated), from AWS's documentation. */
export const QUOTAS = {
  /** Lambda: concurrent executions per account and Region (adjustable, Service Quotas). */
  lambdaAccountConcurrency: 1000,
  /** Lambda: each function scales by at most 1,000 execution environments every 10 s ("Lambda scaling behavior"). */
  lambdaScalingPer10s: 1000,
  /** Lambda's SQS pollers: start at 5 concurrent batches and add up to 300 per minute ("services-sqs-scaling"). */
  sqsPollerStart: 5,
  sqsPollerAddedPerMinute: 300,
  /** Lambda: memory at which a function gets one vCPU's worth of CPU; CPU grows in proportion (max 6 vCPUs). */
  lambdaMbPerVcpu: 1769,
  lambdaMaxVcpus: 6,
  /** DynamoDB: one partition key value's partition takes at most 1,000 WCU and 3,000 RCU a second. */
  partitionWcu: 1000,
  partitionRcu: 3000,
  /** DynamoDB on demand: a new table (and each new GSI) sustains 4,000 writes and 12,000 reads a second at first. */
  onDemandNewTableWcu: 4000,
  onDemandNewTableRcu: 12000,
  /** DynamoDB on demand: default per-table maximum (adjustable), 40,000 read and 40,000 write units a second. */
  onDemandTableMaxWcu: 40000,
  /** S3: per partitioned prefix, 3,500 PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests a second. */
  s3WritesPerPrefix: 3500,
  s3ReadsPerPrefix: 5500,
  /** SQS standard queues: nearly unlimited API calls a second; at most 120,000 messages in flight. */
  sqsInFlightMessages: 120000,
  /**
   * EventBridge PutEvents, transactions a second: 10,000 in us-east-1, us-west-2 and eu-west-1; 2,400 in us-east-2,
   * fewer in smaller Regions (the quota page lists each). Assumed: us-east-1.
   */
  eventBridgePutEventsTps: 10000,
  /** API Gateway: requests a second across all APIs of an account and Region (burst 5,000). */
  apiGatewayAccountRps: 10000,
  /**
   * Step Functions: state transitions a second for STANDARD executions, per account (refill rate, bucket 5,000), in
   * us-east-1, us-west-2 and eu-west-1; 800 in other Regions.
   */
  stepFunctionsTransitionsPerSecond: 5000,
} as const;

/**
 * List prices, us-east-1, after free tiers: the figures docs/costs.md uses (Lambda at its first arm64 tier,
 * DynamoDB on-demand at the November 2024 prices, S3 Standard at its first 50 TB).
 */
export const PRICES = {
  apiGatewayRestPerMillion: 3.5,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  s3WritePer1000: 0.005,
  s3ReadPer1000: 0.0004,
  s3GbMonth: 0.023,
  sqsPerMillion: 0.4,
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  dynamoGbMonth: 0.25,
  eventBridgeEventsPerMillion: 1.0,
  eventBridgeArchivePerGb: 0.1,
  cloudWatchLogsPerGb: 0.5,
  xRayTracesPerMillion: 5.0,
  /** Step Functions: STANDARD per state transition; EXPRESS per request and per GB-second (64 MB chunks, 100 ms). */
  stepFunctionsTransitionPer1000: 0.025,
  stepFunctionsExpressRequestsPerMillion: 1.0,
  stepFunctionsExpressGbSecond: 0.00001667,
  /** Each of DetectLabels, DetectText, DetectFaces and DetectModerationLabels, per image (first million a month). */
  rekognitionPerImagePerApi: 0.001,
} as const;

/** What the model assumes where the local run cannot tell. */
export const ASSUMPTIONS = {
  /** Images a second the model is asked about. */
  rate: 1000,
  /**
   * Speed of one Lambda (Graviton, arm64) vCPU relative to one core of the machine that ran the measurement, for
   * sharp's decode and WebP encodes. 1 = the same; nobody has measured it here (no arm64 host).
   */
  lambdaCoreSpeed: 1,
  /** Each image's record is fetched once by a client: GET /images/{id}, then one thumbnail by its presigned URL. */
  clientFetches: { apiGets: 1, s3Gets: 1 },
  /** Logs and traces per image, carried over from docs/costs.md (not measured here). */
  logBytesPerImage: 3000,
  tracesPerImage: 2,
  /** DynamoDB storage per item and per index entry on top of its attributes (AWS's indexing overhead). */
  dynamoItemOverheadBytes: 100,
  /** Rekognition: Detect APIs called per image (labels, text, faces, moderation). */
  rekognitionApisPerImage: 4,
} as const;

export type Quotas = typeof QUOTAS;
export type Prices = typeof PRICES;
export type Assumptions = typeof ASSUMPTIONS;
