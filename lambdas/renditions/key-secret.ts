import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { KEY_CACHE_SECONDS } from './signing-contract';
import { parseSigningKeySet, type SigningKeySet } from './signing-keys';

/**
 * The one reader of the rendition signing key set, for those that sign (get-image, create-rendition) and the one
 * that verifies (render-image): the secret's current value from Secrets Manager through Powertools' cache, kept
 * `KEY_CACHE_SECONDS`, which key rotation counts on (a new key is signed with only once every cache has seen it,
 * so signers and verifiers must cache alike). The rotation function reads named versions of the secret instead,
 * uncached, with its own client (rotate-rendition-key/rotate.ts).
 */
export function secretKeySet(secretArn: string): () => Promise<SigningKeySet> {
  return async () => parseSigningKeySet((await getSecret<string>(secretArn, { maxAge: KEY_CACHE_SECONDS })) ?? '');
}
