import type { ImageFormat } from '../core/record';
import { FORMAT_MEDIA_TYPES } from '../core/vocabulary';
import { C2paReader } from './c2pa-reader';

/**
 * The C2PA reference implementation (c2pa-rs) as the WebAssembly build its authors publish (@contentauth/c2pa-wasm):
 * no native binary to fetch at install, the same code on a laptop, in Lambda and in the CLI. It runs in a worker
 * thread (c2pa-reader.ts), started on the first image with a manifest's worth of bytes to read, once per process
 * unless a read fails it, never at import; so a crash or a hang of c2pa-rs costs that one read.
 */

/** The media types c2pa-rs reads a manifest from, by the analysis' format: every format a processed image has. */
const MEDIA_TYPES: Partial<Record<ImageFormat, string>> = FORMAT_MEDIA_TYPES;

/** c2pa-rs's errors that mean the file has no manifest to read, as opposed to a manifest that cannot be read. */
const NO_MANIFEST = /JumbfNotFound|ProvenanceMissing|UnsupportedType|JumbfBoxNotFound/;

/**
 * The manifest store's JUMBF label, which every embedded manifest carries: bytes without it have none, so c2pa-rs
 * (and its thread) is spared for them, and a failure to read bytes that have it is a manifest's.
 */
const MANIFEST_STORE_LABEL = Buffer.from('c2pa');

export type StoreRead =
  | { kind: 'none' }
  | { kind: 'store'; json: unknown }
  /**
   * A manifest is there, and c2pa-rs cannot read it: broken or altered past parsing, or it crashed, hung or ran out
   * of memory reading it.
   */
  | { kind: 'unreadable'; message: string }
  /** Not read: c2pa-rs's thread could not be started, through no fault of the file. */
  | { kind: 'unread'; message: string };

export interface C2paOptions {
  /** PEM certificates a signer must chain to for `valid` (docs/provenance.md); without, every intact one is `untrusted`. */
  trustAnchors?: string;
  /** The reader to read with. Default: the process's one, with the default bounds. */
  reader?: C2paReader;
}

/** The process's reader: its thread starts with the first file it reads. */
const processReader = new C2paReader();

/**
 * The file's C2PA manifest store, validated, as c2pa-rs writes it out. Nothing is fetched: no remote manifest, no
 * OCSP; a manifest that lives only at a URL is no manifest here. Never throws.
 */
export async function readManifestStore(
  bytes: Uint8Array,
  format: ImageFormat,
  options: C2paOptions,
): Promise<StoreRead> {
  const mediaType = MEDIA_TYPES[format];
  const labelled = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(MANIFEST_STORE_LABEL) >= 0;
  if (mediaType === undefined || !labelled) return { kind: 'none' };
  const context = JSON.stringify({
    verify: { remote_manifest_fetch: false, ocsp_fetch: false },
    ...(options.trustAnchors && { trust: { trust_anchors: options.trustAnchors } }),
  });
  const reader = options.reader ?? processReader;
  const answer = await reader.read({ mediaType, bytes, context });
  switch (answer.kind) {
    case 'store':
      try {
        return { kind: 'store', json: JSON.parse(answer.json) };
      } catch (error) {
        return { kind: 'unreadable', message: `c2pa-rs wrote no JSON: ${(error as Error).message}`.slice(0, 300) };
      }
    case 'error':
      if (NO_MANIFEST.test(answer.message)) return { kind: 'none' };
      return { kind: 'unreadable', message: answer.message.slice(0, 300) };
    case 'crashed':
      return { kind: 'unreadable', message: answer.message.slice(0, 300) };
    case 'unavailable':
      return { kind: 'unread', message: answer.message.slice(0, 300) };
  }
}
