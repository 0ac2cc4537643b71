import type { Need } from './operations';
import type { ResolvedTemplate } from './template';

/**
 * The KMS authorizations a need brings with it when its resource is encrypted with a customer managed key: S3
 * reads an SSE-KMS object with the caller's `kms:Decrypt` and writes one with its `kms:GenerateDataKey`; SQS,
 * Secrets Manager and DynamoDB the same for their messages, secrets and items. The key's policy must allow it
 * too (iam-simulate weighs it as KMS does: the identity policy counts only if the key policy trusts the account).
 *
 * A resource with its service's own encryption or an AWS managed key (`aws/s3`, `alias/aws/sqs`...) needs no grant:
 * nothing is added. The stack today encrypts everything that way; this is here so a customer key on any of them
 * cannot reach a deploy with its grants missing.
 */
export function keyNeedsOf(template: ResolvedTemplate, need: Need): Need[] {
  const service = need.action.split(':')[0] as string;
  const found = ENCRYPTED[service]?.(template, need.resource);
  if (!found) return [];
  const actions = found.actionsFor(need.action);
  const { region, account } = template.place;
  return actions.map((action) => ({
    action,
    resource: keyArn(template, found.key),
    context: { 'kms:ViaService': `${service}.${region}.amazonaws.com`, 'kms:CallerAccount': account },
    why: `${need.resource} is encrypted with a customer managed key`,
  }));
}

interface Encrypted {
  /** The key as the template gives it: an ARN, a key id, or an alias. */
  key: string;
  actionsFor(action: string): string[];
}

const DECRYPT = ['kms:Decrypt'];
const ENCRYPT = ['kms:GenerateDataKey'];

const ENCRYPTED: Record<string, (template: ResolvedTemplate, resource: string) => Encrypted | undefined> = {
  s3: (template, resource) => {
    const bucket = resource.replace(/^arn:aws:s3:::/, '').split('/')[0];
    const found = template.resourcesOf('AWS::S3::Bucket').find(({ id }) => template.ref(id) === bucket);
    const rules = (found?.properties.BucketEncryption as { ServerSideEncryptionConfiguration?: unknown[] })
      ?.ServerSideEncryptionConfiguration as
      | { ServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string } }[]
      | undefined;
    const rule = rules?.[0]?.ServerSideEncryptionByDefault;
    const key = rule?.SSEAlgorithm?.startsWith('aws:kms') ? customer(rule.KMSMasterKeyID) : undefined;
    return encrypted(key, (action) => ({ 's3:GetObject': DECRYPT, 's3:PutObject': ENCRYPT })[action] ?? []);
  },
  sqs: (template, resource) => {
    const found = template.resourcesOf('AWS::SQS::Queue').find(({ id }) => template.attribute(id, 'Arn') === resource);
    const key = customer(found?.properties.KmsMasterKeyId as string | undefined);
    return encrypted(
      key,
      (action) => ({ 'sqs:SendMessage': [...ENCRYPT, ...DECRYPT], 'sqs:ReceiveMessage': DECRYPT })[action] ?? [],
    );
  },
  secretsmanager: (template, resource) => {
    const found = template.resourcesOf('AWS::SecretsManager::Secret').find(({ id }) => template.ref(id) === resource);
    const key = customer(found?.properties.KmsKeyId as string | undefined);
    return encrypted(
      key,
      (action) =>
        ({ 'secretsmanager:GetSecretValue': DECRYPT, 'secretsmanager:PutSecretValue': ENCRYPT })[action] ?? [],
    );
  },
  dynamodb: (template, resource) => {
    const table = resource.split('/index/')[0];
    const found = template
      .resourcesOf('AWS::DynamoDB::Table')
      .find(({ id }) => template.attribute(id, 'Arn') === table);
    const sse = found?.properties.SSESpecification as { SSEType?: string; KMSMasterKeyId?: string } | undefined;
    const key = sse?.SSEType === 'KMS' ? customer(sse.KMSMasterKeyId) : undefined;
    // DynamoDB decrypts the table key with the caller's kms:Decrypt for reads and writes alike.
    return encrypted(key, () => DECRYPT);
  },
};

function encrypted(key: string | undefined, actionsFor: (action: string) => string[]): Encrypted | undefined {
  return key ? { key, actionsFor } : undefined;
}

/** The key when it is the customer's; undefined for none or an AWS managed key (`alias/aws/...`). */
function customer(key: string | undefined): string | undefined {
  if (!key || /(^|:)alias\/aws\//.test(key)) return undefined;
  return key;
}

function keyArn(template: ResolvedTemplate, key: string): string {
  if (key.startsWith('arn:')) return key;
  const { region, account } = template.place;
  return `arn:aws:kms:${region}:${account}:${key.startsWith('alias/') ? key : `key/${key}`}`;
}
