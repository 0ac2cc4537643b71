import { z } from 'zod';

/** Where a picture comes from (docs/provenance.md): how its Content Credentials are checked at ingest. */
export const ProvenanceSettingsSchema = z.object({
  /**
   * A PEM file of the certificates a Content Credentials signer must chain to for its manifest to be `valid`, given
   * relative to the project (`certs/c2pa-anchors.pem`): the stack copies it into the processor's asset and checks at
   * synth that it holds at least one certificate; the local runner reads it from the project. Default none: every
   * intact manifest is `untrusted` (read, checked, its signer vouched for by nobody this deployment trusts).
   */
  provenanceTrustAnchors: z
    .string({ error: 'must be a path' })
    .regex(
      /^([\w-][\w.-]*\/)*[\w-][\w.-]*\.(pem|crt|cer)$/,
      'must be a .pem, .crt or .cer path relative to the project, such as certs/c2pa-anchors.pem (no .., no leading /)',
    )
    .optional(),
});
export type ProvenanceSettings = z.output<typeof ProvenanceSettingsSchema>;
