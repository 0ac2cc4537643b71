import sharp from 'sharp';
import { analyzeImage } from '../../../../lambdas/core/analysis/analyze';
import { readDescribed } from '../../../../lambdas/core/analysis/described';
import { readIptc } from '../../../../lambdas/core/analysis/iptc';
import {
  AnalysisRecordSchema,
  DESCRIBED_LIMITS,
  DescribedSchema,
  type ProcessedRecord,
} from '../../../../lambdas/core/record';
import { fixture } from '../../../fixtures';
import {
  describedXmp,
  iimDataset,
  iimOf,
  photoshopBlock,
  withApp13,
  withIptc,
  withXmp,
} from '../../../support/described';

/**
 * What a photo says of itself (core/analysis/described.ts): IPTC-IIM in a JPEG's APP13 and XMP in every format sharp
 * writes it into, read as the record's `described`; and whatever a file holds instead, read as nothing or as much as
 * the bounds allow, never a failure.
 */

let photo: Buffer;
beforeAll(async () => {
  photo = await sharp(fixture('photos/kite.jpg')).resize(160).jpeg().toBuffer();
});

async function describedOf(bytes: Buffer): Promise<ProcessedRecord['described']> {
  const { record } = await analyzeImage(bytes, { thumbnailSizes: [64] });
  expect(AnalysisRecordSchema.parse(record)).toEqual(record);
  if (record.status !== 'PROCESSED') throw new Error(JSON.stringify(record));
  return record.described;
}

const iptc = (fields: Parameters<typeof iimOf>[0]) => photoshopBlock(iimOf(fields));
const xmp = (fields: Parameters<typeof describedXmp>[0]) => Buffer.from(describedXmp(fields), 'utf8');

describe('a JPEG with IPTC', () => {
  it('is described by its keywords, object name, headline and caption', async () => {
    const bytes = withIptc(photo, {
      keywords: ['beach', 'vacation'],
      objectName: 'Kite day',
      headline: 'Wind on the dunes',
      caption: 'A red kite over the beach at Wissant',
    });
    expect(await describedOf(bytes)).toEqual({
      keywords: ['beach', 'vacation'],
      title: 'Kite day',
      headline: 'Wind on the dunes',
      caption: 'A red kite over the beach at Wissant',
    });
  });

  it('reads UTF-8 where 1:90 says so, Latin-1 where nothing says and the bytes are not UTF-8', () => {
    expect(readDescribed({ iptc: iptc({ keywords: ['Zürich', 'été'], utf8: true }) })?.keywords).toEqual([
      'Zürich',
      'été',
    ]);
    expect(readDescribed({ iptc: iptc({ keywords: ['Zürich', 'été'], utf8: false }) })?.keywords).toEqual([
      'Zürich',
      'été',
    ]);
  });

  it('reads UTF-8 written without 1:90, as many writers leave it out', () => {
    const iim = Buffer.concat([iimDataset(2, 25, Buffer.from('Genève', 'utf8'))]);
    expect(readDescribed({ iptc: photoshopBlock(iim) })?.keywords).toEqual(['Genève']);
  });

  it("reads a TIFF's IPTC tag, the IIM with no Photoshop block around it", () => {
    expect(readIptc(iimOf({ keywords: ['harbour'], caption: 'Boats' }))).toEqual({
      keywords: ['harbour'],
      caption: 'Boats',
      objectName: undefined,
      headline: undefined,
    });
  });

  it('reads an extended dataset, whose length takes 4 bytes', () => {
    const caption = 'word '.repeat(8000);
    const read = readIptc(photoshopBlock(iimDataset(2, 120, caption)));
    expect(read?.caption).toBe(caption);
  });
});

describe('XMP', () => {
  const LIGHTROOM = {
    subjects: ['beach', 'Italy'],
    hierarchicalSubjects: ['Places|Europe|Italy', 'Events|Holidays'],
    title: { 'x-default': 'Kite day', fr: 'Jour de cerf-volant' },
    description: { 'x-default': 'A red kite over the beach' },
    headline: 'Tom & Jerry at sea',
  };
  const EXPECTED = {
    keywords: ['beach', 'Italy', 'Holidays'],
    title: 'Kite day',
    headline: 'Tom & Jerry at sea',
    caption: 'A red kite over the beach',
  };

  it.each(['jpeg', 'png', 'webp', 'avif', 'tiff'] as const)(
    'describes a %s by the packet sharp finds',
    async (format) => {
      expect(await describedOf(await withXmp(photo, format, describedXmp(LIGHTROOM)))).toEqual(EXPECTED);
    },
  );

  it("reads a hierarchical subject's last level as a keyword, not its categories, each keyword once", () => {
    const read = (subjects: string[], hierarchicalSubjects: string[]) =>
      readDescribed({ xmp: xmp({ subjects, hierarchicalSubjects }) })?.keywords;
    expect(read(['italy'], ['Places|Europe|Italy', 'Events|Holidays'])).toEqual(['italy', 'Holidays']);
    // KPhotoAlbum files a pet under People: a search for people must not find the rabbit by its category.
    expect(read([], ['People|Pets|Spiff'])).toEqual(['Spiff']);
    // The parents a photographer exports are in dc:subject.
    expect(read(['Pets', 'Spiff'], ['People|Pets|Spiff'])).toEqual(['Pets', 'Spiff']);
  });

  it("takes a language alternative's x-default, else its first item", () => {
    expect(readDescribed({ xmp: xmp({ title: { de: 'Drachen', 'x-default': 'Kite' } }) })?.title).toBe('Kite');
    expect(readDescribed({ xmp: xmp({ title: { de: 'Drachen', fr: 'Cerf-volant' } }) })?.title).toBe('Drachen');
  });

  it('finds a property by its namespace, whatever prefix the packet gives it', () => {
    const packet = (prefix: string, uri: string) =>
      Buffer.from(
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
          `<rdf:Description xmlns:${prefix}="${uri}"><${prefix}:subject><rdf:Bag><rdf:li>dune</rdf:li></rdf:Bag>` +
          `</${prefix}:subject></rdf:Description></rdf:RDF></x:xmpmeta>`,
      );
    expect(readDescribed({ xmp: packet('elements', 'http://purl.org/dc/elements/1.1/') })).toEqual({
      keywords: ['dune'],
    });
    expect(readDescribed({ xmp: packet('dc', 'http://example.com/not-dublin-core/') })).toBeUndefined();
  });

  it("reads XML's own entities and character references, and expands no entity the packet declares", () => {
    const packet = Buffer.from(
      '<!DOCTYPE x [<!ENTITY big "BIGBIGBIG">]><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' +
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        '<rdf:Description><dc:subject><rdf:Bag><rdf:li>caf&#233; &amp; bar</rdf:li><rdf:li>&big;</rdf:li>' +
        '</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>',
    );
    expect(readDescribed({ xmp: packet })?.keywords).toEqual(['café & bar', '&big;']);
  });

  it("prefers XMP's title and caption to IPTC's, and keeps both's keywords, XMP's first", () => {
    const described = readDescribed({
      xmp: xmp({ subjects: ['beach'], title: { 'x-default': 'From XMP' } }),
      iptc: iptc({ keywords: ['Beach', 'sea'], objectName: 'From IPTC', caption: 'Only IPTC has one' }),
    });
    expect(described).toEqual({ keywords: ['beach', 'sea'], title: 'From XMP', caption: 'Only IPTC has one' });
  });
});

describe('what a photo says, bounded', () => {
  it(`keeps the first ${DESCRIBED_LIMITS.keywords} keywords, each cut to ${DESCRIBED_LIMITS.keywordChars} characters`, () => {
    const keywords = Array.from({ length: 300 }, (_, i) => `keyword${i}`);
    const long = `${'x'.repeat(100)} tail`;
    const described = readDescribed({ iptc: iptc({ keywords: [long, ...keywords] }) });
    expect(described?.keywords).toHaveLength(DESCRIBED_LIMITS.keywords);
    expect(described?.keywords?.[0]).toBe('x'.repeat(DESCRIBED_LIMITS.keywordChars));
    expect(described?.keywords?.[1]).toBe('keyword0');
  });

  it(`cuts a caption to ${DESCRIBED_LIMITS.captionChars} characters and a title to ${DESCRIBED_LIMITS.titleChars}`, () => {
    const described = readDescribed({
      xmp: xmp({ title: { 'x-default': 'T'.repeat(5000) }, description: { 'x-default': 'word '.repeat(50_000) } }),
    });
    expect(described?.title).toHaveLength(DESCRIBED_LIMITS.titleChars);
    expect(described?.caption?.length).toBeLessThanOrEqual(DESCRIBED_LIMITS.captionChars);
    expect(described?.caption?.startsWith('word word')).toBe(true);
    expect(DescribedSchema.safeParse(described).success).toBe(true);
  });

  it('never cuts an emoji in half', () => {
    const keyword = `${'a'.repeat(DESCRIBED_LIMITS.keywordChars - 1)}🪁`;
    expect(readDescribed({ xmp: xmp({ subjects: [keyword] }) })?.keywords).toEqual(['a'.repeat(63)]);
  });

  it('drops control characters and bidirectional overrides, and makes each run of white space one space', () => {
    const described = readDescribed({
      iptc: iptc({ keywords: ['\u0000\u0007', 'sea\u202Egnissorc'], caption: ' Line one\r\n\tline\u0000two ' }),
    });
    expect(described).toEqual({ keywords: ['seagnissorc'], caption: 'Line one line two' });
  });

  it('leaves out empty and blank values, and says nothing when nothing is left', async () => {
    expect(readDescribed({ xmp: xmp({ subjects: ['', '   '], title: { 'x-default': ' ' } }) })).toBeUndefined();
    expect(await describedOf(photo)).toBeUndefined();
  });
});

describe('metadata that cannot be read', () => {
  it('keeps the datasets before one whose length runs past the end', () => {
    const good = iimDataset(2, 25, 'beach');
    const cut = iimDataset(2, 25, 'vacation').subarray(0, 8);
    expect(readDescribed({ iptc: photoshopBlock(Buffer.concat([good, cut])) })).toEqual({ keywords: ['beach'] });
  });

  it('stops at the padding after the last dataset', () => {
    const iim = Buffer.concat([iimDataset(2, 25, 'beach'), Buffer.alloc(9)]);
    expect(readDescribed({ iptc: photoshopBlock(iim) })).toEqual({ keywords: ['beach'] });
  });

  it.each([
    ['no bytes', Buffer.alloc(0)],
    ['random bytes', Buffer.from('8BIM\u0004\u0004\u0000\u0000\u00ff\u00ff\u00ff\u00ffbeach', 'latin1')],
    [
      'a resource whose size runs past the end',
      Buffer.from('Photoshop 3.0\u00008BIM\u0004\u0004\u0000\u0000\u0000\u0000\u0010\u0000', 'latin1'),
    ],
    [
      'no IPTC resource',
      Buffer.concat([
        Buffer.from('Photoshop 3.0\0', 'latin1'),
        Buffer.from('8BIM\u0003\u00ed\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'),
      ]),
    ],
    ['an extended length of no bytes', Buffer.from([0x1c, 2, 25, 0x80, 0, 0x41])],
    ['an extended length of 9 bytes', Buffer.from([0x1c, 2, 25, 0x80, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x41])],
    ['a buffer over 1 MB', Buffer.concat([iimOf({ keywords: ['beach'] }), Buffer.alloc(1_000_001)])],
  ])('reads nothing from IPTC of %s', (_, bytes) => {
    expect(readDescribed({ iptc: bytes })).toBeUndefined();
  });

  it.each([
    ['no bytes', Buffer.alloc(0)],
    ['text that is not XML', Buffer.from('subject: beach, title: <<<')],
    ['an unclosed packet', Buffer.from('<x:xmpmeta xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject>')],
    ['elements nested 100,000 deep', Buffer.from(`${'<a>'.repeat(100_000)}subject${'</a>'.repeat(100_000)}`)],
    ['a packet over 1 MB', Buffer.concat([xmp({ subjects: ['beach'] }), Buffer.alloc(1_000_001, 0x20)])],
  ])('reads nothing from XMP of %s', (_, bytes) => {
    expect(readDescribed({ xmp: bytes })).toBeUndefined();
  });

  it('reads the IPTC of a photo whose XMP is unreadable, and the other way round', () => {
    const broken = Buffer.from('<x:xmpmeta><dc:subject>');
    expect(readDescribed({ xmp: broken, iptc: iptc({ keywords: ['beach'] }) })).toEqual({ keywords: ['beach'] });
    expect(readDescribed({ xmp: xmp({ subjects: ['sea'] }), iptc: Buffer.from([0x1c, 2]) })).toEqual({
      keywords: ['sea'],
    });
  });

  it('analyses a JPEG whose APP13 is garbage as it would without it', async () => {
    const bytes = withApp13(
      photo,
      Buffer.from('Photoshop 3.0\u00008BIM\u0004\u0004\u0000\u0000\u00ff\u00ff', 'latin1'),
    );
    const { record } = await analyzeImage(bytes, { thumbnailSizes: [64] });
    expect(record.status).toBe('PROCESSED');
    expect(record.status === 'PROCESSED' && record.described).toBeUndefined();
  });

  it('never throws and always gives what the record accepts, for 2,000 corruptions of an IPTC block and a packet', () => {
    // A fixed seed: a failure replays.
    let seed = 77;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const mutate = (source: Buffer): Buffer => {
      const bytes = Buffer.from(source);
      const edits = 1 + Math.floor(random() * 8);
      for (let i = 0; i < edits; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return random() < 0.2 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes;
    };
    const block = iptc({ keywords: ['beach', 'vacation'], objectName: 'Kite', caption: 'A kite' });
    const packet = xmp({ subjects: ['beach'], hierarchicalSubjects: ['A|B'], title: { 'x-default': 'Kite' } });
    const refused: string[] = [];
    let read = 0;
    for (let i = 0; i < 1000; i++) {
      for (const sources of [{ iptc: mutate(block) }, { xmp: mutate(packet) }]) {
        const described = readDescribed(sources);
        if (described !== undefined) read++;
        if (described !== undefined && !DescribedSchema.safeParse(described).success) {
          refused.push(JSON.stringify(described));
        }
      }
    }
    expect(refused).toEqual([]);
    // Most corruptions leave something readable: the loop reads real output, not only undefined.
    expect(read).toBeGreaterThan(500);
  });
});
