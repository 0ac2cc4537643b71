import { z } from 'zod';
import { CREDENTIAL_VALIDATIONS, PROVENANCE_SUMMARIES } from './vocabulary';

/*
 * Where a photo comes from, as its record keeps it (`provenance`): read at ingest from its Content Credentials (a
 * C2PA manifest) and from the IPTC digital source type its XMP declares (lambdas/provenance, docs/provenance.md).
 * Every text is the file's own, so each is bounded: a manifest is the uploader's to write.
 */

const text = (max: number) => z.string().max(max);

/** One action the manifest says was done, in its order: `c2pa.created`, `c2pa.edited`, `c2pa.cropped`... */
export const CredentialActionSchema = z.object({
  action: text(120),
  /** The IPTC digital source type the action declares, its short code: `trainedAlgorithmicMedia`. */
  digitalSourceType: text(120).optional(),
  /** The software that did it, with its version: `Firefly 3.1`. */
  softwareAgent: text(200).optional(),
  /** When, where the manifest says (ISO 8601 as written). */
  when: text(40).optional(),
});
export type CredentialAction = z.infer<typeof CredentialActionSchema>;

/** An asset this one was made from: the photo an edit opened (`parentOf`), a layer placed in it (`componentOf`). */
export const CredentialIngredientSchema = z.object({
  title: text(200).optional(),
  format: text(80).optional(),
  relationship: text(40),
  /** What the ingredient's own manifest says of it, when it has one. */
  summary: z.enum(PROVENANCE_SUMMARIES).optional(),
  validation: z.enum(CREDENTIAL_VALIDATIONS).optional(),
});
export type CredentialIngredient = z.infer<typeof CredentialIngredientSchema>;

/** The active manifest of an image's Content Credentials: who signed it, with what, what was done, and its check. */
export const CredentialsSchema = z
  .object({
    validation: z.enum(CREDENTIAL_VALIDATIONS),
    /** Why it is not `valid`: the C2PA validation codes (`assertion.dataHash.mismatch`), at most 10. */
    failures: z.array(z.object({ code: text(120), explanation: text(300).optional() })).max(10),
    /** The manifest's label (`urn:c2pa:...`). */
    manifest: text(200).optional(),
    /** The software that wrote the manifest, with its version: `Adobe Photoshop 26.0`, `Imagine 3.1`. */
    claimGenerator: text(200).optional(),
    title: text(200).optional(),
    /** Who signed it: the signing certificate's common name and organization. */
    signer: z.object({ name: text(200).optional(), organization: text(200).optional() }).optional(),
    /** When it was signed, from a trusted time-stamp; absent when the signer had none. */
    signedAt: text(40).optional(),
    actions: z.array(CredentialActionSchema).max(20),
    ingredients: z.array(CredentialIngredientSchema).max(10),
  })
  .meta({ id: 'Credentials' });
export type Credentials = z.infer<typeof CredentialsSchema>;

export const ProvenanceSchema = z
  .object({
    summary: z.enum(PROVENANCE_SUMMARIES).meta({
      description:
        'ai-generated: made by a generative model; ai-edited: partly made by one; camera: a capture, unedited; ' +
        'edited: made or changed with other software; unknown: nothing (trustworthy) says',
    }),
    /** What the summary was read from: the Content Credentials, the XMP's digital source type, or nothing. */
    basis: z.enum(['c2pa', 'xmp', 'none']),
    /** The IPTC digital source type that decided the summary (short code), kept by renditions when asked. */
    digitalSourceType: text(120).optional(),
    /** The software that made or changed it with a model (the AI action's agent), or else the capturing device's. */
    generator: text(200).optional(),
    /** The image's Content Credentials, when it has a C2PA manifest. */
    credentials: CredentialsSchema.optional(),
    /**
     * Its Content Credentials were not read: the C2PA reader's thread could not start, through no fault of the file
     * (docs/provenance.md). The summary is the XMP's or `unknown`; a re-analysis (`backfill --reprocess`) reads them.
     */
    unread: z.literal(true).optional(),
  })
  .meta({ id: 'Provenance' });
export type Provenance = z.infer<typeof ProvenanceSchema>;
