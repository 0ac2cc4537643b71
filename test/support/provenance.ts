import 'reflect-metadata';
import { createPrivateKey, type KeyObject, sign, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initSync, WasmBuilder } from '@contentauth/c2pa-wasm';
import * as x509 from '@peculiar/x509';
import { encode, Tag } from 'cbor2';
import sharp from 'sharp';
import { DIGITAL_SOURCE_TYPE_PREFIX } from '../../lambdas/provenance/digital-source-types';

/*
 * Content Credentials made here, at test time: a test certificate authority and a signer under it (made with
 * @peculiar/x509, nothing downloaded), and images signed by the C2PA reference implementation (c2pa-rs, its
 * WebAssembly build) as a camera, a generator and an editor would. Plus the XMP-only kind, written by sharp.
 */

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
/** Bytes c2pa-rs reserves for the signature: the COSE structure is padded to exactly this. */
const RESERVE = 16_384;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TestSigner {
  /** The root's certificate, PEM: a deployment's trust anchor in the tests that check `valid`. */
  trustAnchor: string;
  /** DER certificates, the signer's first. */
  chain: Uint8Array[];
  key: KeyObject;
}

/** A root CA and an end-entity signer under it (ES256), as C2PA's certificate profile asks: digitalSignature, EKU. */
export async function makeTestSigner(
  subject = 'CN=Imagine Test Signer, O=Imagine Labs',
  root = 'CN=image-intel Test Root, O=image-intel tests',
): Promise<TestSigner> {
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(Date.now() - DAY);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: root,
    notBefore,
    notAfter: new Date(Date.now() + 365 * DAY),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject,
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(Date.now() + 30 * DAY),
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // id-kp-emailProtection: one of the EKUs C2PA accepts for a claim signer.
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4']),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    trustAnchor: ca.toString('pem'),
    chain: [leaf, ca].map((cert) => new Uint8Array(cert.rawData)),
    key: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
  };
}

/**
 * c2pa-rs's WebAssembly signer hands over the claim and takes back the whole COSE_Sign1 (its "direct COSE handling"):
 * ES256 over the Sig_structure, the chain in the protected header (x5chain, 33), padded to the reserved size.
 */
function coseSign1(signer: TestSigner, claim: Uint8Array): Uint8Array {
  const protectedHeader = encode(
    new Map<number, unknown>([
      [1, -7],
      [33, signer.chain],
    ]),
  );
  const toBeSigned = encode(['Signature1', protectedHeader, new Uint8Array(0), claim]);
  const signature = new Uint8Array(sign('sha256', toBeSigned, { key: signer.key, dsaEncoding: 'ieee-p1363' }));
  const build = (pad: number) =>
    encode(new Tag(18, [protectedHeader, new Map([['pad', new Uint8Array(pad)]]), null, signature]));
  let pad = RESERVE - build(0).length;
  for (let tries = 0; tries < 8; tries++) {
    const built = build(pad);
    if (built.length === RESERVE) return built;
    pad += RESERVE - built.length;
  }
  throw new Error(`could not pad the COSE signature to ${RESERVE} bytes`);
}

let compiled = false;
function compile(): void {
  if (compiled) return;
  const pkg = path.dirname(require.resolve('@contentauth/c2pa-wasm/package.json'));
  initSync({ module: readFileSync(path.join(pkg, 'pkg/c2pa_bg.wasm')) });
  // The builder reads its Blobs through the worker-only FileReaderSync: here, one over the bytes a BytesBlob holds.
  (globalThis as { FileReaderSync?: unknown }).FileReaderSync = class {
    readAsArrayBuffer(blob: BytesBlob): ArrayBuffer {
      const { held } = blob;
      return held.buffer.slice(held.byteOffset, held.byteOffset + held.byteLength) as ArrayBuffer;
    }
  };
  compiled = true;
}

class BytesBlob extends Blob {
  constructor(readonly held: Uint8Array) {
    super([held as Uint8Array<ArrayBuffer>]);
  }
  override slice(start?: number, end?: number): BytesBlob {
    return new BytesBlob(this.held.subarray(start, end));
  }
}

export interface Action {
  action: string;
  digitalSourceType?: string;
  softwareAgent?: { name: string; version?: string };
  parameters?: Record<string, unknown>;
}

export interface SignRequest {
  signer: TestSigner;
  /** The image to sign, and its media type. */
  bytes: Buffer;
  mediaType?: string;
  generator: { name: string; version: string };
  title: string;
  actions: Action[];
  /** An asset this one was made from, signed or not, and how: `parentOf` for the photo an edit opened. */
  ingredient?: { bytes: Buffer; title: string; relationship: 'parentOf' | 'componentOf'; mediaType?: string };
}

/** The image with a C2PA manifest signed by `signer`, embedded by c2pa-rs. */
export async function signImage(request: SignRequest): Promise<Buffer> {
  compile();
  const mediaType = request.mediaType ?? 'image/jpeg';
  const builder = WasmBuilder.fromJson(
    JSON.stringify({
      claim_generator_info: [request.generator],
      title: request.title,
      format: mediaType,
      assertions: [{ label: 'c2pa.actions', data: { actions: request.actions } }],
    }),
  );
  try {
    if (request.ingredient) {
      const { bytes, title, relationship, mediaType: format = 'image/jpeg' } = request.ingredient;
      await builder.addIngredientFromBlob(
        JSON.stringify({ title, relationship, label: 'ingredient' }),
        format,
        new BytesBlob(new Uint8Array(bytes)),
      );
    }
    const definition = {
      alg: 'es256',
      reserveSize: RESERVE,
      sign: async (claim: Uint8Array) => coseSign1(request.signer, claim) as Uint8Array<ArrayBuffer>,
    };
    const signed = await builder.sign(definition, [], mediaType, new BytesBlob(new Uint8Array(request.bytes)));
    return Buffer.from(signed);
  } finally {
    builder.free();
  }
}

export const sourceType = (code: string): string => `${DIGITAL_SOURCE_TYPE_PREFIX}${code}`;

/** The four kinds the issue names, from one photo: made by a generator, a camera's, an edit of it, and a tampered one. */
export async function credentialFixtures(photo: Buffer, signer?: TestSigner) {
  const testSigner = signer ?? (await makeTestSigner());
  const generated = await signImage({
    signer: testSigner,
    bytes: photo,
    generator: { name: 'Imagine', version: '3.1' },
    title: 'generated.jpg',
    actions: [
      {
        action: 'c2pa.created',
        digitalSourceType: sourceType('trainedAlgorithmicMedia'),
        softwareAgent: { name: 'Imagine', version: '3.1' },
      },
    ],
  });
  const camera = await signImage({
    signer: testSigner,
    bytes: photo,
    generator: { name: 'Leica M11-P', version: '2.0.1' },
    title: 'L1000123.jpg',
    actions: [{ action: 'c2pa.created', digitalSourceType: sourceType('digitalCapture') }],
  });
  const edited = await signImage({
    signer: testSigner,
    bytes: await sharp(photo).modulate({ brightness: 1.1 }).jpeg().toBuffer(),
    generator: { name: 'PhotoFix', version: '2.0' },
    title: 'edited.jpg',
    actions: [
      { action: 'c2pa.opened', parameters: { ingredientIds: ['ingredient'] } },
      { action: 'c2pa.color_adjustments', softwareAgent: { name: 'PhotoFix', version: '2.0' } },
    ],
    ingredient: { bytes: camera, title: 'L1000123.jpg', relationship: 'parentOf' },
  });
  return { signer: testSigner, generated, camera, edited, tampered: tamper(generated) };
}

/**
 * The signed JPEG with its pixels changed after signing, its manifest left as it was: one value of its first
 * quantization table (DQT) moved by one, so it still decodes, a little darker or lighter, and the manifest's data hash
 * no longer matches.
 */
export function tamper(signed: Buffer): Buffer {
  const copy = Buffer.from(signed);
  // Segment by segment, not the first FF DB in the file: the manifest's APP11 segments come first, and a signature's
  // random bytes can hold FF DB by chance (a unit run did), and then the signature was changed instead of the picture.
  let dqt = -1;
  for (let at = 2; at + 4 <= copy.length && copy[at] === 0xff; at += 2 + copy.readUInt16BE(at + 2)) {
    if (copy[at + 1] === 0xdb) {
      dqt = at;
      break;
    }
  }
  if (dqt < 0) throw new Error('tamper: no quantization table (is it a JPEG?)');
  // Marker (2), length (2), precision and table id (1), then the table: its second value.
  const at = dqt + 6;
  const value = copy[at] ?? 1;
  copy[at] = value >= 255 ? 254 : value + 1;
  return copy;
}

/** A PNG whose XMP alone says where it comes from (no manifest): `Iptc4xmpExt:DigitalSourceType`, as generators write it. */
export async function xmpOnlyPng(photo: Buffer, code = 'trainedAlgorithmicMedia'): Promise<Buffer> {
  const xmp = [
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"',
    ` Iptc4xmpExt:DigitalSourceType="${sourceType(code)}"/>`,
    '</rdf:RDF></x:xmpmeta>',
  ].join('');
  return sharp(photo).png().withXmp(xmp).toBuffer();
}

/** What a read c2pa-rs failed is recorded as: its credentials unreadable, saying what happened, nothing else believed. */
export const unreadable = (explanation: RegExp) => ({
  summary: 'unknown',
  basis: 'none',
  credentials: {
    validation: 'invalid',
    failures: [{ code: 'manifest.unreadable', explanation: expect.stringMatching(explanation) }],
    actions: [],
    ingredients: [],
  },
});
