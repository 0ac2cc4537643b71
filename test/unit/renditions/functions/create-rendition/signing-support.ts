import {
  GetSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-secrets-manager';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { type VerifiedRendition, verifyRendition } from '../../../../../lambdas/renditions/signing';
import { parseSigningKeySet } from '../../../../../lambdas/renditions/signing-keys';
import type { ImageItem } from '../../../../../lambdas/store/image-item';
import { imageItem, processedAnalysis } from '../../../../support/items';

/**
 * What the rendition signers (get-image, create-rendition) are wired with besides the API environment, and a
 * Secrets Manager that answers the generated first value of the signing secret.
 */
export const SIGNING_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rendition-signing-AbCdEf';
export const RENDITIONS_URL = 'https://renditions.example.com';
export const SIGNING_ENV = { SIGNING_SECRET_ARN, RENDITIONS_URL };
/** The secret's value as Secrets Manager generates it: one key, `initial`. */
export const SECRET_STRING = JSON.stringify({ secret: 'k3yK3yk3yK3y'.repeat(5).slice(0, 64) });

/** Secrets Manager answering the secret's value for its ARN, and nothing else. */
export function mockSecrets() {
  const secrets = mockClient(SecretsManagerClient);
  answerSecret(secrets);
  return secrets;
}

/** (Again) answer the secret's value, after a test made Secrets Manager fail. */
export function answerSecret(
  secrets: AwsStub<ServiceInputTypes, ServiceOutputTypes, SecretsManagerClientResolvedConfig>,
): void {
  secrets.on(GetSecretValueCommand, { SecretId: SIGNING_SECRET_ARN }).resolves({ SecretString: SECRET_STRING });
}

/**
 * A rendition URL as the render function checks it, with the same key set: the proof that a URL the API issued
 * is one it will serve. Throws the 403 the render function would answer.
 */
export function verified(url: string, now = new Date()): VerifiedRendition & { origin: string } {
  const parsed = new URL(url);
  const check = verifyRendition(parsed.pathname, parsed.search.slice(1), parseSigningKeySet(SECRET_STRING), now);
  return { ...check, origin: parsed.origin };
}

/** A PROCESSED item with an analysis of this size (the record's oriented width and height). */
export function processedItem(
  size: { width: number; height: number; animated?: boolean },
  overrides: Partial<ImageItem> = {},
): ImageItem {
  return imageItem({ analysis: processedAnalysis(size), ...overrides });
}
