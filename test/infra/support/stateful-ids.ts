import type { TemplateJson } from './synth';

/**
 * The resources an upgrade must never replace: those that hold data (tables, buckets, queues, keys, secrets, the
 * event bus and its archive, the vector bucket and index, the face collection), those whose ids people and clients
 * hold (the user pool, its domain, clients and admin group; the API, its stage, keys and usage plans; the
 * distributions), and the API's paths and methods: API Gateway refuses a second method or path of the same name,
 * so one made again in another stack fails the update while the old one still stands.
 */
export const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::SQS::Queue',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::Events::EventBus',
  'AWS::Events::Archive',
  'AWS::S3Vectors::VectorBucket',
  'AWS::S3Vectors::Index',
  'AWS::Rekognition::Collection',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::CloudFront::Distribution',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
];

const EVERY_FEATURE = {
  inference: 'rekognition',
  faceGrouping: 'true',
  searchByMeaning: 'titan',
  webhooks: 'true',
  alarmEmail: 'ops@example.com',
  sourceBuckets: 'old-photos=studio',
  watchSourceBuckets: 'true',
};

/**
 * The deployments whose stateful ids the fixture holds: each switch that adds or removes resources is on in one, and
 * every feature is on with each kind of sign-in.
 */
export const STATEFUL_DEPLOYMENTS: Record<string, Record<string, unknown>> = {
  default: {},
  offline: { inference: 'offline', alarmEmail: 'ops@example.com' },
  open: { inference: 'none', auth: 'none', webApp: false, sharpPackaging: 'bundle' },
  existingPool: {
    userPoolId: 'eu-west-1_abc123',
    webAuthDomain: 'https://example.auth.eu-west-1.amazoncognito.com',
  },
  everyFeature: { auth: 'cognito', ...EVERY_FEATURE },
  everyFeatureApiKeys: {
    auth: 'apikey',
    apiClients: '[{"name":"default"},{"name":"batch-jobs","admin":true,"quotaPerDay":5000}]',
    ...EVERY_FEATURE,
  },
};

/** `Type LogicalId` of a template's stateful resources, sorted. */
export function statefulIds(template: TemplateJson): string[] {
  return Object.entries(template.Resources)
    .filter(([, resource]) => STATEFUL_TYPES.includes(resource.Type))
    .map(([id, resource]) => `${resource.Type} ${id}`)
    .sort();
}
