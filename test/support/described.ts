import sharp from 'sharp';

/*
 * Photos that say something of themselves, written as the tools that write them do: IPTC-IIM in a JPEG's APP13
 * segment (a Photoshop 3.0 image resource block, resource 0x0404), which sharp can read but not write, so the segment
 * is built here byte by byte; and an XMP packet, which sharp writes (`withXmp`) into every format it encodes.
 */

/** One IIM dataset: tag marker, record, dataset, a 2-byte length (or the extended form for 32 KB and over), data. */
export function iimDataset(record: number, dataset: number, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length < 0x8000) {
    const head = Buffer.from([0x1c, record, dataset, 0, 0]);
    head.writeUInt16BE(bytes.length, 3);
    return Buffer.concat([head, bytes]);
  }
  const head = Buffer.from([0x1c, record, dataset, 0x80, 4, 0, 0, 0, 0]);
  head.writeUInt32BE(bytes.length, 5);
  return Buffer.concat([head, bytes]);
}

/** What an IPTC block says, as `withIptc` writes it. */
export interface IptcFields {
  keywords?: readonly string[];
  objectName?: string;
  headline?: string;
  caption?: string;
  /** Write 1:90 (`ESC % G`, UTF-8) before the texts, as Photoshop and Lightroom do. Default true. */
  utf8?: boolean;
}

/** The IIM datasets of `fields`, each text UTF-8 (Latin-1 with `utf8: false`). */
export function iimOf(fields: IptcFields): Buffer {
  const utf8 = fields.utf8 ?? true;
  const text = (value: string) => Buffer.from(value, utf8 ? 'utf8' : 'latin1');
  return Buffer.concat([
    ...(utf8 ? [iimDataset(1, 90, Buffer.from([0x1b, 0x25, 0x47]))] : []),
    iimDataset(2, 0, Buffer.from([0, 4])),
    ...(fields.objectName === undefined ? [] : [iimDataset(2, 5, text(fields.objectName))]),
    ...(fields.keywords ?? []).map((keyword) => iimDataset(2, 25, text(keyword))),
    ...(fields.headline === undefined ? [] : [iimDataset(2, 105, text(fields.headline))]),
    ...(fields.caption === undefined ? [] : [iimDataset(2, 120, text(fields.caption))]),
  ]);
}

/** A Photoshop 3.0 image resource block holding `iim` as resource 0x0404, after another resource as Photoshop's has. */
export function photoshopBlock(iim: Buffer): Buffer {
  const resource = (id: number, name: string, data: Buffer) => {
    const pascal = Buffer.concat([Buffer.from([name.length]), Buffer.from(name, 'latin1')]);
    const head = Buffer.alloc(6);
    head.write('8BIM', 0, 'latin1');
    head.writeUInt16BE(id, 4);
    const size = Buffer.alloc(4);
    size.writeUInt32BE(data.length);
    return Buffer.concat([head, pascal, Buffer.alloc(pascal.length % 2), size, data, Buffer.alloc(data.length % 2)]);
  };
  return Buffer.concat([
    Buffer.from('Photoshop 3.0\0', 'latin1'),
    // The resolution info Photoshop writes first (0x03ED), with an odd name so the padding is exercised.
    resource(0x03ed, 'res', Buffer.alloc(16)),
    resource(0x0404, '', iim),
  ]);
}

/** `jpeg` with an APP13 segment holding `payload` (at most 65,533 bytes) right after its SOI marker. */
export function withApp13(jpeg: Buffer, payload: Buffer): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const marker = Buffer.from([0xff, 0xed, 0, 0]);
  marker.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), marker, payload, jpeg.subarray(2)]);
}

/** `jpeg` carrying `fields` as IPTC, in an APP13 segment as Photoshop writes one. */
export function withIptc(jpeg: Buffer, fields: IptcFields): Buffer {
  return withApp13(jpeg, photoshopBlock(iimOf(fields)));
}

/** What an XMP packet says, as `describedXmp` writes it. */
export interface XmpFields {
  subjects?: readonly string[];
  hierarchicalSubjects?: readonly string[];
  /** `dc:title`'s items, by language (`x-default` first, as Lightroom writes it). */
  title?: Readonly<Record<string, string>>;
  description?: Readonly<Record<string, string>>;
  headline?: string;
}

const escaped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * An XMP packet as Lightroom writes one: `dc:subject` and `lr:hierarchicalSubject` as rdf:Bags, `dc:title` and
 * `dc:description` as language alternatives, `photoshop:Headline` as an attribute of the description.
 */
export function describedXmp(fields: XmpFields): string {
  const bag = (name: string, items: readonly string[] | undefined) =>
    items === undefined
      ? ''
      : `<${name}><rdf:Bag>${items.map((item) => `<rdf:li>${escaped(item)}</rdf:li>`).join('')}</rdf:Bag></${name}>`;
  const alt = (name: string, items: Readonly<Record<string, string>> | undefined) =>
    items === undefined
      ? ''
      : `<${name}><rdf:Alt>${Object.entries(items)
          .map(([lang, text]) => `<rdf:li xml:lang="${lang}">${escaped(text)}</rdf:li>`)
          .join('')}</rdf:Alt></${name}>`;
  const headline = fields.headline === undefined ? '' : ` photoshop:Headline="${escaped(fields.headline)}"`;
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" ' +
    `xmlns:lr="http://ns.adobe.com/lightroom/1.0/"${headline}>` +
    bag('dc:subject', fields.subjects) +
    bag('lr:hierarchicalSubject', fields.hierarchicalSubjects) +
    alt('dc:title', fields.title) +
    alt('dc:description', fields.description) +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

/** A small photo of `source` as `format`, carrying `xmp`. */
export function withXmp(source: Buffer, format: 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff', xmp: string) {
  return sharp(source).withXmp(xmp).toFormat(format).toBuffer();
}
