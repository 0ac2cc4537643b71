import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JXL_WASM_ASSET_PATH } from '../jxl-contract';

/*
 * JPEG XL, which the prebuilt libvips does not decode: its header read here, from the bits (ISO/IEC 18181-1's
 * SizeHeader and ImageMetadata), so the limits are checked before any pixel is; its pixels decoded by libjxl's
 * WebAssembly build as @jsquash/jxl ships it (8-bit sRGB RGBA, oriented).
 */

/** What a JPEG XL file says of itself before a pixel is decoded. */
export interface JxlHeader {
  /** The stored size (before the orientation). */
  width: number;
  height: number;
  /** The EXIF-style orientation the codestream names (1-8); libjxl applies it when decoding. */
  orientation: number;
  bitDepth: number;
  hasAlpha: boolean;
  animated: boolean;
  /** The container's `Exif` box (its TIFF part) and `xml ` box (the XMP packet), when it has them. */
  exif?: Buffer;
  xmp?: Buffer;
}

const CONTAINER_SIGNATURE = Buffer.from([0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20, 0x0d, 0x0a, 0x87, 0x0a]);

/** Reads the header of a JPEG XL codestream or container; throws with a reason when it is not one. */
export function readJxlHeader(bytes: Buffer): JxlHeader {
  const { codestream, exif, xmp } = bytes.subarray(0, 12).equals(CONTAINER_SIGNATURE)
    ? containerParts(bytes)
    : { codestream: bytes, exif: undefined, xmp: undefined };
  if (codestream.length < 2 || codestream[0] !== 0xff || codestream[1] !== 0x0a) {
    throw new Error('no JPEG XL codestream');
  }
  const bits = new BitReader(codestream, 2);
  const { width, height } = sizeHeader(bits);
  const metadata = imageMetadata(bits);
  return { width, height, ...metadata, ...(exif && { exif }), ...(xmp && { xmp }) };
}

/**
 * The codestream (the `jxlc` box, or the first `jxlp` box's part: the header is in it) and the metadata boxes of
 * the ISO-BMFF container. A box's size 1 is a 64-bit size after its type, 0 runs to the end of the file.
 */
function containerParts(bytes: Buffer): { codestream: Buffer; exif?: Buffer; xmp?: Buffer } {
  let codestream: Buffer | undefined;
  let exif: Buffer | undefined;
  let xmp: Buffer | undefined;
  for (let offset = 0; offset + 8 <= bytes.length; ) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > bytes.length) break;
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = bytes.length - offset;
    }
    // What follows the boxes (bytes appended after the file) ends the walk; the codestream must be before it.
    if (size < header || offset + size > bytes.length) break;
    const body = bytes.subarray(offset + header, offset + size);
    if (type === 'jxlc') codestream ??= body;
    else if (type === 'jxlp') codestream ??= body.subarray(4);
    else if (type === 'Exif' && body.length > 4) exif ??= body.subarray(4 + body.readUInt32BE(0));
    else if (type === 'xml ') xmp ??= body;
    offset += size;
  }
  if (!codestream) throw new Error('JPEG XL container without a codestream box');
  return { codestream, exif, xmp };
}

/** The ratios a SizeHeader's `ratio` field names: width = height * numerator / denominator. */
const RATIOS: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [12, 10],
  [4, 3],
  [3, 2],
  [16, 9],
  [5, 4],
  [2, 1],
];

function sizeHeader(bits: BitReader): { width: number; height: number } {
  const small = bits.bool();
  const side = () => (small ? (bits.read(5) + 1) * 8 : bits.u32([1, 9], [1, 13], [1, 18], [1, 30]));
  const height = side();
  const ratio = bits.read(3);
  if (ratio === 0) return { width: side(), height };
  const [numerator, denominator] = RATIOS[ratio - 1] as readonly [number, number];
  return { width: Math.floor((height * numerator) / denominator), height };
}

/** ImageMetadata up to its first extra channel: orientation, animation, bit depth, alpha. */
function imageMetadata(bits: BitReader): Omit<JxlHeader, 'width' | 'height' | 'exif' | 'xmp'> {
  if (bits.bool()) return { orientation: 1, bitDepth: 8, hasAlpha: false, animated: false };
  let orientation = 1;
  let animated = false;
  if (bits.bool()) {
    orientation = bits.read(3) + 1;
    if (bits.bool()) sizeHeader(bits); // the intrinsic size: a display hint, not what is decoded
    if (bits.bool()) previewHeader(bits);
    animated = bits.bool();
    if (animated) {
      bits.u32([100, 0], [1000, 0], [1, 10], [1, 30]);
      bits.u32([1, 0], [1001, 0], [1, 8], [1, 10]);
      bits.u32([0, 0], [0, 3], [0, 16], [0, 32]);
      bits.bool();
    }
  }
  const float = bits.bool();
  const bitDepth = float ? bits.u32([32, 0], [16, 0], [24, 0], [1, 6]) : bits.u32([8, 0], [10, 0], [12, 0], [1, 6]);
  if (float) bits.read(4); // the exponent's bits
  bits.bool(); // modular_16bit_buffers
  const extraChannels = bits.u32([0, 0], [1, 0], [2, 4], [1, 12]);
  // The first extra channel: `d_alpha` (all defaults: an 8-bit alpha), or its type, 0 being alpha.
  const hasAlpha = extraChannels > 0 && (bits.bool() || bits.u32([0, 0], [1, 0], [2, 4], [18, 6]) === 0);
  return { orientation, bitDepth, hasAlpha, animated };
}

function previewHeader(bits: BitReader): void {
  const small = bits.bool();
  const side = () =>
    small ? bits.u32([16, 0], [32, 0], [1, 5], [33, 9]) : bits.u32([1, 6], [65, 8], [321, 10], [1345, 12]);
  side();
  if (bits.read(3) === 0) side();
}

/** The codestream's bits, least significant first in each byte, as ISO/IEC 18181-1 reads them. */
class BitReader {
  private position: number;

  constructor(
    private readonly bytes: Buffer,
    startByte: number,
  ) {
    this.position = startByte * 8;
  }

  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.bytes[this.position >> 3];
      if (byte === undefined) throw new Error('JPEG XL header is cut short');
      value += ((byte >> (this.position & 7)) & 1) * 2 ** i;
      this.position++;
    }
    return value;
  }

  bool(): boolean {
    return this.read(1) === 1;
  }

  /** U32: a 2-bit selector, then the chosen distribution's offset plus that many bits. */
  u32(...distributions: ReadonlyArray<readonly [offset: number, bits: number]>): number {
    const [offset, count] = distributions[this.read(2)] as readonly [number, number];
    return offset + this.read(count);
  }
}

/** What @jsquash/jxl's decode gives: 8-bit RGBA. */
export interface JxlPixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface JxlDecoderModule {
  init(module: WebAssembly.Module): Promise<unknown>;
  default(bytes: ArrayBuffer): Promise<JxlPixels>;
}

let compiled: Promise<WebAssembly.Module> | undefined;
let ready: Promise<JxlDecoderModule> | undefined;

/**
 * Decodes a JPEG XL file's first frame. libjxl's WASM build runs on this thread (a 12 MP photo takes about 5 s:
 * docs/formats.md); its module is compiled once per process from the file beside the bundle (lib/constructs/
 * jxl-bundling.ts) or in node_modules, as @jsquash/jxl would otherwise fetch it, which Node cannot.
 */
export async function decodeJxl(bytes: Buffer): Promise<JxlPixels> {
  const decoder = await loadJxlDecoder();
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return await decoder.default(copy);
  } finally {
    // Its memory only grows (a 12 MP decode leaves ~800 MB), and an abort leaves it in no known state: the next
    // decode instantiates the compiled module afresh (milliseconds), and this one's memory is collected.
    ready = undefined;
  }
}

/**
 * The decoder, compiled and instantiated (once, until a decode drops the instance). Its failure is ours, not the
 * file's: callers let it through as an error (a FAILED record, retried), never as a corrupt image.
 */
export function loadJxlDecoder(): Promise<JxlDecoderModule> {
  const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } })
    .WebAssembly;
  compiled ??= wasm.compile(readFileSync(wasmFile()));
  ready ??= (async () => {
    // ESM with import.meta: Node 22 requires it as CommonJS does; jest's transform turns it into CommonJS.
    const decoder = (await import('@jsquash/jxl/decode.js')) as unknown as JxlDecoderModule;
    await decoder.init(await (compiled as Promise<WebAssembly.Module>));
    return decoder;
  })();
  ready.catch(() => {
    ready = undefined;
    compiled = undefined;
  });
  return ready;
}

/** Beside the bundle in a function's asset, else (sources, tsx, jest, the CLI) as the package ships it. */
function wasmFile(): string {
  const beside = path.join(__dirname, JXL_WASM_ASSET_PATH);
  return existsSync(beside) ? beside : require.resolve('@jsquash/jxl/codec/dec/jxl_dec.wasm');
}
