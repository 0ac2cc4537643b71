import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { initSync, WasmReader } from '@contentauth/c2pa-wasm';
import pLimit from 'p-limit';
import type { ImageFormat } from '../core/record';
import { FORMAT_MEDIA_TYPES } from '../core/vocabulary';
import { C2PA_WASM_ASSET_PATH } from './wasm-contract';

/**
 * The C2PA reference implementation (c2pa-rs) as the WebAssembly build its authors publish (@contentauth/c2pa-wasm):
 * no native binary to fetch at install, the same code on a laptop, in Lambda and in the CLI. Its module is compiled
 * on the first image with a manifest's worth of bytes to read, once per process (about 35 ms), never at import.
 */

/** The media types c2pa-rs reads a manifest from, by the analysis' format: every format a processed image has. */
const MEDIA_TYPES: Partial<Record<ImageFormat, string>> = FORMAT_MEDIA_TYPES;

/** c2pa-rs's errors that mean the file has no manifest to read, as opposed to a manifest that cannot be read. */
const NO_MANIFEST = /JumbfNotFound|ProvenanceMissing|UnsupportedType|JumbfBoxNotFound/;

/**
 * The manifest store's JUMBF label, which every embedded manifest carries: bytes without it have none, so c2pa-rs
 * (and its module's compiling) is spared for them, and a failure to read bytes that have it is a manifest's.
 */
const MANIFEST_STORE_LABEL = Buffer.from('c2pa');

let compiled = false;

/**
 * One read in the module at a time: each copies its file into the module's memory, which grows to the largest
 * it held and never shrinks, so reads at once (the processor's images in flight) would hold that many files' worth
 * for the container's life. A read takes tens of milliseconds.
 */
const oneAtATime = pLimit(1);

/**
 * What c2pa-rs trapped on (a panic aborts a WebAssembly module): its module is then left as it was mid-call, and a
 * process has one instance of it, which its glue will not make again. Every later read in this process is `unread`,
 * and says so on the record, for a re-analysis to read it (steps/provenance.ts).
 */
let trapped: string | undefined;

function compile(): void {
  if (compiled) return;
  const beside = path.join(__dirname, C2PA_WASM_ASSET_PATH);
  const file = existsSync(beside)
    ? beside
    : path.join(path.dirname(require.resolve('@contentauth/c2pa-wasm/package.json')), 'pkg/c2pa_bg.wasm');
  initSync({ module: readFileSync(file) });
  compiled = true;
}

export type StoreRead =
  | { kind: 'none' }
  | { kind: 'store'; json: unknown }
  /** A manifest is there, and c2pa-rs cannot read it: broken or altered past parsing. */
  | { kind: 'unreadable'; message: string }
  /** Not read: c2pa-rs trapped on an earlier image of this process, and its module is not used again. */
  | { kind: 'unread'; message: string };

export interface C2paOptions {
  /** PEM certificates a signer must chain to for `valid` (docs/provenance.md); without, every intact one is `untrusted`. */
  trustAnchors?: string;
}

/**
 * The file's C2PA manifest store, validated, as c2pa-rs writes it out. Nothing is fetched: no remote manifest, no
 * OCSP; a manifest that lives only at a URL is no manifest here.
 */
export function readManifestStore(bytes: Uint8Array, format: ImageFormat, options: C2paOptions): Promise<StoreRead> {
  const mediaType = MEDIA_TYPES[format];
  const labelled = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(MANIFEST_STORE_LABEL) >= 0;
  if (mediaType === undefined || !labelled) return Promise.resolve({ kind: 'none' });
  return oneAtATime(() => readStore(bytes, mediaType, options));
}

async function readStore(bytes: Uint8Array, mediaType: string, options: C2paOptions): Promise<StoreRead> {
  if (trapped !== undefined) return { kind: 'unread', message: `c2pa-rs failed on an earlier image here: ${trapped}` };
  compile();
  const context = JSON.stringify({
    verify: { remote_manifest_fetch: false, ocsp_fetch: false },
    ...(options.trustAnchors && { trust: { trust_anchors: options.trustAnchors } }),
  });
  let reader: WasmReader | undefined;
  try {
    reader = await WasmReader.fromBytes(mediaType, bytes, context);
    return { kind: 'store', json: JSON.parse(reader.json()) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'RuntimeError') trapped = message.slice(0, 200);
    if (NO_MANIFEST.test(message)) return { kind: 'none' };
    return { kind: 'unreadable', message: message.slice(0, 300) };
  } finally {
    reader?.free();
  }
}
