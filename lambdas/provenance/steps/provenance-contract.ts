import { z } from 'zod';
import type { StepContract, StepDeclaration, StepWiring } from '../../kit/processor-step-contract';
import type { DeploymentSettings } from '../../settings';
import type { FunctionEnvironment } from '../../settings/env';
import { TRUST_ANCHORS_ASSET_PATH } from '../trust-anchors-contract';

export const ProvenanceEnvShape = {
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
const PROVENANCE_CONTRACT = {
  env: ProvenanceEnvShape,
  environment: ({ settings, watermarkFiles }: ProvenanceWiring): FunctionEnvironment => {
    const file = settings.provenanceTrustAnchors;
    if (file === undefined) return {};
    return { PROVENANCE_TRUST_ANCHORS: watermarkFiles === 'bundle' ? TRUST_ANCHORS_ASSET_PATH : file };
  },
  // c2pa-rs's module and its worker's script always; the trust anchors when the settings name a file.
  bundledData: ['c2pa', 'trust-anchors'],
} satisfies StepContract<typeof ProvenanceEnvShape>;

interface ProvenanceWiring extends StepWiring {
  readonly settings: StepWiring['settings'] & Pick<DeploymentSettings, 'provenanceTrustAnchors'>;
}

export const PROVENANCE_STEP = {
  name: 'provenance',
  phase: 'analyse',
  contract: PROVENANCE_CONTRACT,
} as const satisfies StepDeclaration;
