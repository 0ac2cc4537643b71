import { z } from 'zod';
import { TRUST_ANCHORS_ASSET_PATH } from '../../../../provenance/trust-anchors-contract';
import type { FunctionEnvironment } from '../../../../settings/env';
import type { StepContract } from '../step-contract';

const ProvenanceEnvShape = {
  /**
   * The `provenanceTrustAnchors` PEM file, relative to the function's root (the asset's in AWS, the project's
   * locally): the certificates a Content Credentials signer must chain to for `valid`. Absent: no signer is trusted.
   */
  PROVENANCE_TRUST_ANCHORS: z.string().min(1).optional(),
};

/**
 * `provenance`: where the trust anchors are read from. The stack copies the file into the asset (`bundle`, at
 * TRUST_ANCHORS_ASSET_PATH); the local runner names it where it is in the project (`project`), as it does watermarks.
 */
export const PROVENANCE_STEP = {
  steps: ['provenance'],
  env: ProvenanceEnvShape,
  environment: ({ settings, watermarkFiles }): FunctionEnvironment => {
    const file = settings.provenanceTrustAnchors;
    if (file === undefined) return {};
    return { PROVENANCE_TRUST_ANCHORS: watermarkFiles === 'bundle' ? TRUST_ANCHORS_ASSET_PATH : file };
  },
} satisfies StepContract<typeof ProvenanceEnvShape>;
