import { FACE_DESCRIPTOR_LENGTH } from './contract';

/*
 * A face descriptor as the people table keeps it: FACE_DESCRIPTOR_LENGTH float32 numbers, little-endian, 512 bytes
 * of Binary (a list of 128 DynamoDB numbers would take about three times the bytes, and as many write units).
 */

/** A descriptor that is not FACE_DESCRIPTOR_LENGTH finite numbers: the vision step's bug, never stored. */
export class InvalidDescriptorError extends Error {
  override readonly name = 'InvalidDescriptorError';
}

/** The descriptor, checked: FACE_DESCRIPTOR_LENGTH finite numbers. */
export function checkedDescriptor(descriptor: readonly number[] | undefined, face: number): readonly number[] {
  if (
    descriptor === undefined ||
    descriptor.length !== FACE_DESCRIPTOR_LENGTH ||
    !descriptor.every((value) => Number.isFinite(value))
  ) {
    throw new InvalidDescriptorError(`face ${face} has no descriptor of ${FACE_DESCRIPTOR_LENGTH} finite numbers`);
  }
  return descriptor;
}

export function encodeDescriptor(descriptor: readonly number[]): Uint8Array {
  const bytes = Buffer.alloc(descriptor.length * 4);
  descriptor.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeDescriptor(bytes: Uint8Array): number[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: Math.floor(buffer.byteLength / 4) }, (_, i) => buffer.readFloatLE(i * 4));
}

/** Euclidean distance: how dlib's descriptors compare (0.6 is its own "same person" line). */
export function descriptorDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum);
}
