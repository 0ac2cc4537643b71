import { X509Certificate } from 'node:crypto';

/**
 * The `provenanceTrustAnchors` file's path inside the processor's asset, relative to its root: copied there by
 * lib/constructs/provenance-bundling.ts. Locally (the runner) it is read at its path in the project.
 */
export const TRUST_ANCHORS_ASSET_PATH = 'provenance/trust-anchors.pem';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/**
 * What is wrong with a trust anchors file's text, or undefined when it holds at least one PEM certificate and each
 * one it holds parses as X.509. Read by the stack at synth and by the processor at start, so a bad file fails there,
 * not as every manifest read `untrusted`.
 */
export function trustAnchorsProblem(pem: string): string | undefined {
  const certificates = pem.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0)
    return 'holds no PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)';
  for (const [i, certificate] of certificates.entries()) {
    try {
      new X509Certificate(certificate);
    } catch (error) {
      return `certificate ${i + 1} of ${certificates.length} is not X.509: ${(error as Error).message}`;
    }
  }
  return undefined;
}
