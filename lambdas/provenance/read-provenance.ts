import sharp from 'sharp';
import type { Provenance } from '../core/provenance';
import type { ImageFormat } from '../core/record';
import { type C2paOptions, readManifestStore } from './c2pa';
import { isAi, shortCode, summaryOfSourceType } from './digital-source-types';
import { ManifestStoreSchema, readCredentials } from './summarize';
import { xmpDigitalSourceType } from './xmp';

export type ProvenanceOptions = C2paOptions;

/**
 * Where a picture comes from, from its bytes alone (docs/provenance.md):
 * 1. Its Content Credentials, read and checked by c2pa-rs. A manifest that checks (`valid`, or `untrusted`: intact,
 *    its signer vouched for by no trust anchor) says the summary.
 * 2. A manifest that does not check (`invalid`: altered since it was signed, or unreadable) is never trusted: its
 *    claim that a model made the picture is kept (a claim against itself), its claim of a camera or of edits is not.
 * 3. Else the IPTC digital source type its XMP declares (written by far more tools than sign, and by anyone: it is
 *    what the file says, unchecked).
 * 4. Else `unknown`: a plain photo says nothing of where it comes from.
 * Never throws: what cannot be read is read as nothing (or as an invalid manifest, when there is one).
 */
export async function readProvenance(
  bytes: Buffer,
  format: ImageFormat,
  options: ProvenanceOptions = {},
): Promise<Provenance> {
  const [store, xmp] = await Promise.all([readManifestStore(bytes, format, options), readXmp(bytes)]);
  const fromXmp = xmp === undefined ? undefined : { code: shortCode(xmp), summary: summaryOfSourceType(xmp) };
  const xmpSays = (): Provenance =>
    fromXmp && fromXmp.summary !== 'unknown'
      ? { summary: fromXmp.summary, basis: 'xmp', digitalSourceType: fromXmp.code.slice(0, 120) }
      : { summary: 'unknown', basis: 'none' };

  if (store.kind === 'unreadable') {
    const credentials = {
      validation: 'invalid' as const,
      failures: [{ code: 'manifest.unreadable', explanation: store.message }],
      actions: [],
      ingredients: [],
    };
    return { ...xmpSays(), credentials };
  }
  if (store.kind === 'none') return xmpSays();
  if (store.kind === 'unread') return { ...xmpSays(), unread: true };
  const parsed = ManifestStoreSchema.safeParse(store.json);
  const read = parsed.success ? readCredentials(parsed.data) : undefined;
  if (read === undefined) return xmpSays();
  const { credentials, reading } = read;
  const trusted = credentials.validation !== 'invalid' || isAi(reading.summary);
  if (!trusted || reading.summary === 'unknown') return { ...xmpSays(), credentials };
  return {
    summary: reading.summary,
    basis: 'c2pa',
    ...(reading.digitalSourceType && { digitalSourceType: reading.digitalSourceType }),
    ...(reading.generator && { generator: reading.generator }),
    credentials,
  };
}

/** The XMP packet's digital source type, from the header alone (no pixel decoded); none when there is no header. */
async function readXmp(bytes: Buffer): Promise<string | undefined> {
  try {
    const { xmp } = await sharp(bytes, { limitInputPixels: false }).metadata();
    return xmpDigitalSourceType(xmp);
  } catch {
    return undefined;
  }
}
