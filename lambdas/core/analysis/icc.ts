/**
 * The name an ICC profile gives itself (its `desc` tag: 'Display P3', 'sRGB IEC61966-2.1'), for the record: version 2's
 * `desc` type (ASCII) or version 4's `mluc` (UTF-16BE, its first record). Undefined when the profile has none or it
 * does not parse. At most 64 characters, control characters dropped.
 */
export function iccProfileName(icc: Buffer | undefined): string | undefined {
  if (!icc || icc.length < 132) return undefined;
  const tags = icc.readUInt32BE(128);
  for (let index = 0; index < Math.min(tags, 256); index++) {
    const entry = 132 + index * 12;
    if (entry + 12 > icc.length) return undefined;
    if (icc.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const offset = icc.readUInt32BE(entry + 4);
    const size = icc.readUInt32BE(entry + 8);
    if (offset + Math.max(size, 12) > icc.length) return undefined;
    return clean(description(icc.subarray(offset, offset + size)));
  }
  return undefined;
}

function description(tag: Buffer): string | undefined {
  const type = tag.toString('latin1', 0, 4);
  if (type === 'desc') {
    const length = tag.readUInt32BE(8);
    return tag.toString('latin1', 12, Math.min(tag.length, 12 + length));
  }
  if (type === 'mluc' && tag.length >= 28) {
    const length = tag.readUInt32BE(20);
    const start = tag.readUInt32BE(24);
    if (start + length > tag.length) return undefined;
    return Buffer.from(tag.subarray(start, start + length - (length % 2)))
      .swap16()
      .toString('utf16le');
  }
  return undefined;
}

function clean(name: string | undefined): string | undefined {
  const printable = [...(name ?? '')].filter((char) => char >= ' ' && char !== '\u007f').join('');
  const text = printable.trim().slice(0, 64);
  return text ? text : undefined;
}
