import { DESCRIBED_LIMITS, type Described } from '../record';
import { readIptc } from './iptc';
import { readXmp } from './xmp';

/**
 * What the photo says of itself, from the XMP packet and the IPTC block sharp found in its header:
 * 1. keywords: XMP's `dc:subject`, then IPTC's Keywords, then the last level of each Lightroom
 *    `lr:hierarchicalSubject` (`Places|Europe|Italy` is `Italy`), each once whatever its case. A path's upper levels
 *    are often its tool's categories (KPhotoAlbum files a pet under `People`): Lightroom writes those the photographer
 *    exports ("containing keywords", on by default) to `dc:subject`, where they are read;
 * 2. the title (`dc:title`, else IPTC's Object Name), headline (`photoshop:Headline`, else IPTC's) and caption
 *    (`dc:description`, else IPTC's Caption-Abstract): XMP's first, as the Metadata Working Group's guidance has it,
 *    and of a language alternative its `x-default`;
 * 3. each text without control characters, its white space one space, cut to DESCRIBED_LIMITS, the keywords to
 *    their number: a file can say anything at any length, and the record, the events' reader and every keyword's
 *    search posting pay for it.
 * Undefined when it says none of these. Never throws: metadata that cannot be read is read as none.
 */
export function readDescribed(header: { xmp?: Buffer; iptc?: Buffer }): Described | undefined {
  let xmp: ReturnType<typeof readXmp>;
  let iptc: ReturnType<typeof readIptc>;
  // Each reader checks every length it reads; this is for what no test thought of, which must not fail the analysis.
  try {
    xmp = readXmp(header.xmp);
  } catch {
    xmp = undefined;
  }
  try {
    iptc = readIptc(header.iptc);
  } catch {
    iptc = undefined;
  }
  const keywords = keywordsOf([
    ...(xmp?.subjects ?? []),
    ...(iptc?.keywords ?? []),
    ...(xmp?.hierarchy ?? []).flatMap((path) => path.slice(-1)),
  ]);
  const described: Described = {};
  if (keywords.length > 0) described.keywords = keywords;
  const title = clean(xmp?.title, DESCRIBED_LIMITS.titleChars) ?? clean(iptc?.objectName, DESCRIBED_LIMITS.titleChars);
  const headline =
    clean(xmp?.headline, DESCRIBED_LIMITS.titleChars) ?? clean(iptc?.headline, DESCRIBED_LIMITS.titleChars);
  const caption =
    clean(xmp?.description, DESCRIBED_LIMITS.captionChars) ?? clean(iptc?.caption, DESCRIBED_LIMITS.captionChars);
  if (title) described.title = title;
  if (headline) described.headline = headline;
  if (caption) described.caption = caption;
  return Object.keys(described).length > 0 ? described : undefined;
}

/** The first DESCRIBED_LIMITS.keywords distinct keywords, cleaned; two that differ only in case are one. */
function keywordsOf(written: readonly string[]): string[] {
  const seen = new Set<string>();
  const keywords: string[] = [];
  for (const one of written) {
    const keyword = clean(one, DESCRIBED_LIMITS.keywordChars);
    const key = keyword?.toLowerCase();
    if (keyword === undefined || key === undefined || seen.has(key)) continue;
    seen.add(key);
    keywords.push(keyword);
    if (keywords.length === DESCRIBED_LIMITS.keywords) break;
  }
  return keywords;
}

/**
 * A text as a record keeps it: NFC, without invisible formatting (bidirectional overrides among it) or lone
 * surrogates, control characters and white space runs as one space, trimmed, at most `max` UTF-16 units (never half
 * a surrogate pair); undefined when nothing is left.
 */
function clean(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  // Cut before the work, on the most a text of `max` units can take (NFC can join, never multiply, by much).
  const kept = text
    .slice(0, max * 4)
    .replace(/[\p{Cf}\p{Cs}]/gu, '')
    .normalize('NFC')
    .replace(/[\p{Cc}\s\uFFFD]+/gu, ' ')
    .trim();
  if (kept === '') return undefined;
  if (kept.length <= max) return kept;
  const cut = kept.slice(0, max);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut).trim() || undefined;
}
