import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // An XMP packet is the uploader's: no entity of theirs is expanded.
  processEntities: false,
  htmlEntities: false,
});

/** The longest XMP packet read: a bigger one is no photo's metadata, and is not parsed. */
const MAX_XMP_BYTES = 1_000_000;

/**
 * The IPTC digital source type an XMP packet declares (`Iptc4xmpExt:DigitalSourceType`, as an attribute of its
 * description or an element), as written; undefined when it declares none or is not XML.
 */
export function xmpDigitalSourceType(xmp: Buffer | undefined): string | undefined {
  if (xmp === undefined || xmp.length === 0 || xmp.length > MAX_XMP_BYTES) return undefined;
  let document: unknown;
  try {
    document = parser.parse(xmp.toString('utf8'));
  } catch {
    return undefined;
  }
  return find(document, 0);
}

/** Depth-first, bounded: an XMP tree is a few levels deep (x:xmpmeta > rdf:RDF > rdf:Description). */
function find(node: unknown, depth: number): string | undefined {
  if (depth > 12 || node === null || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'DigitalSourceType') {
      const text = typeof value === 'string' ? value : textOf(value);
      if (text?.trim()) return text.trim();
    }
  }
  for (const value of Object.values(node)) {
    const found = find(value, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** An element's text: `<Iptc4xmpExt:DigitalSourceType>uri</...>` or with an `rdf:resource` attribute. */
function textOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const candidate = record['#text'] ?? record.resource;
  return typeof candidate === 'string' ? candidate : undefined;
}
