/**
 * Protocol Buffers wire format, just enough to edit an ONNX model in memory: a message is its fields in order,
 * each kept as the bytes it was read from (a varint's own bytes, a length-delimited field's payload), so every
 * field nobody touches is written back exactly as read.
 */
export interface Field {
  no: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: 0 | 1 | 2 | 5;
  bytes: Uint8Array;
}

export function decode(message: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const readVarint = () => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = message[at++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < message.length) {
    const key = readVarint();
    const no = Math.floor(key / 8);
    const wire = key % 8;
    const from = at;
    if (wire === 0) {
      while ((message[at++] as number) >= 0x80);
      fields.push({ no, wire, bytes: message.subarray(from, at) });
    } else if (wire === 1 || wire === 5 || wire === 2) {
      const size = wire === 1 ? 8 : wire === 5 ? 4 : readVarint();
      fields.push({ no, wire, bytes: message.subarray(at, at + size) });
      at += size;
    } else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
  return fields;
}

export function encode(fields: Field[]): Uint8Array {
  let total = 0;
  for (const { no, wire, bytes } of fields)
    total += varintLength(no * 8 + wire) + (wire === 2 ? varintLength(bytes.length) : 0) + bytes.length;
  const out = new Uint8Array(total);
  let at = 0;
  const write = (value: number) => {
    let rest = value;
    while (rest >= 0x80) {
      out[at++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    out[at++] = rest;
  };
  for (const { no, wire, bytes } of fields) {
    write(no * 8 + wire);
    if (wire === 2) write(bytes.length);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 128)) length++;
  return length;
}

/** A varint's value; ONNX's non-negative ones (dims, counts, enums, group, pads) are far below 2^53. */
export function varint(bytes: Uint8Array): number {
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 128 + ((bytes[i] as number) & 0x7f);
  return value;
}

export function varintBytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

/** The varints of a packed repeated field, or of one unpacked element. */
export function varints(field: Field): number[] {
  if (field.wire === 0) return [varint(field.bytes)];
  const out: number[] = [];
  for (let at = 0; at < field.bytes.length; ) {
    const from = at;
    while ((field.bytes[at++] as number) >= 0x80);
    out.push(varint(field.bytes.subarray(from, at)));
  }
  return out;
}

export const field = {
  varint: (no: number, value: number): Field => ({ no, wire: 0, bytes: Uint8Array.from(varintBytes(value)) }),
  float: (no: number, value: number): Field => ({ no, wire: 5, bytes: new Uint8Array(Float32Array.of(value).buffer) }),
  string: (no: number, value: string): Field => ({ no, wire: 2, bytes: new TextEncoder().encode(value) }),
  bytes: (no: number, bytes: Uint8Array): Field => ({ no, wire: 2, bytes }),
};

const utf8 = new TextDecoder();
export const text = (f: Field): string => utf8.decode(f.bytes);
