import { XMLParser } from 'fast-xml-parser';

/*
 * What an XMP packet says of the photo (dc:subject, dc:title, dc:description, photoshop:Headline, Lightroom's
 * lr:hierarchicalSubject), as sharp hands the packet over for JPEG, PNG (iTXt), WebP, TIFF and HEIF/AVIF. Properties
 * are found by their namespace, whatever prefix the packet gives it.
 */

/** What an XMP packet says of the photo, each text decoded but not yet cleaned (described.ts bounds it). */
export interface XmpText {
  subjects: string[];
  /** Each `lr:hierarchicalSubject` path, split at its `|`: `Places|Europe|Italy` is `Places`, `Europe`, `Italy`. */
  hierarchy: string[][];
  title?: string;
  headline?: string;
  description?: string;
}

/** The longest XMP packet read (as the provenance reader's): a bigger one is no photo's metadata. */
export const MAX_XMP_BYTES = 1_000_000;
/** Values of one property read at most: a record keeps 40 keywords (DESCRIBED_LIMITS). */
const MAX_VALUES = 200;
/** Elements deep the walk goes: an XMP tree is a few levels (x:xmpmeta > rdf:RDF > rdf:Description > property). */
const MAX_DEPTH = 16;

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

type Property = 'subject' | 'hierarchicalSubject' | 'title' | 'description' | 'headline';
const PROPERTIES: Record<string, Property> = {
  [`${NS.dc}subject`]: 'subject',
  [`${NS.dc}title`]: 'title',
  [`${NS.dc}description`]: 'description',
  [`${NS.photoshop}Headline`]: 'headline',
  [`${NS.lr}hierarchicalSubject`]: 'hierarchicalSubject',
};

/** The XMP parser every reader of a packet shares (motion.ts too): prefixes and order kept, no entity expanded. */
export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Elements and attributes keep their prefixes and order, so a property is found by its namespace.
  preserveOrder: true,
  // A packet is the uploader's: no entity of theirs is expanded (XML's five and character references are, below).
  processEntities: false,
  htmlEntities: false,
  // Keywords stay as written: `2019` is a word, not a number.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** A node of fast-xml-parser's ordered tree: `{ name: children, ':@': attributes }` or `{ '#text': text }`. */
export type XmlNode = Record<string, unknown>;
export type Scope = Readonly<Record<string, string>>;

/**
 * The keywords, title, headline and description an XMP packet gives; undefined when it gives none, is too big or is
 * not XML. Never throws.
 */
export function readXmp(xmp: Buffer | undefined): XmpText | undefined {
  if (xmp === undefined || xmp.length === 0 || xmp.length > MAX_XMP_BYTES) return undefined;
  const text = xmp.toString('utf8');
  // Most packets (a camera's, an editor's history) say none of these: they are not parsed.
  if (!/subject|title|description|Headline/.test(text)) return undefined;
  let tree: unknown;
  try {
    tree = parser.parse(text);
  } catch {
    return undefined;
  }
  const read: XmpText = { subjects: [], hierarchy: [] };
  walkElements(tree, { xml: NS.xml }, MAX_DEPTH, (element) => readElement(element, read));
  const { subjects, hierarchy, title, headline, description } = read;
  return subjects.length > 0 || hierarchy.length > 0 || title || headline || description ? read : undefined;
}

/** One element `walkElements` meets: its name as written and as its namespace qualifies it, its attributes, what is
 * in it, and the namespaces in scope inside it. */
export interface XmpElement {
  name: string;
  qualifiedName: string | undefined;
  attributes: Record<string, unknown>;
  content: unknown;
  scope: Scope;
}

/**
 * Every element of `nodes` and under it, down to `maxDepth`, with the namespaces declared on the way: `visit` answers
 * whether to go into the element (false: it said all there is of it).
 */
export function walkElements(
  nodes: unknown,
  scope: Scope,
  maxDepth: number,
  visit: (element: XmpElement) => boolean,
  depth = 0,
): void {
  if (!Array.isArray(nodes) || depth > maxDepth) return;
  for (const node of nodes as XmlNode[]) {
    const name = elementName(node);
    if (name === undefined) continue;
    const attributes = attributesOf(node);
    const inner = withNamespaces(scope, attributes);
    const element = { name, qualifiedName: qualified(name, inner), attributes, content: node[name], scope: inner };
    if (visit(element)) walkElements(node[name], inner, maxDepth, visit, depth + 1);
  }
}

/** What one element says of the photo's keywords, title and caption; false once it is a property read whole. */
function readElement({ qualifiedName, attributes, content, scope }: XmpElement, read: XmpText): boolean {
  const property = PROPERTIES[qualifiedName ?? ''];
  if (property !== undefined) {
    keep(read, property, valuesOf(content, scope));
    return false;
  }
  // A simple property may be an attribute of its description: `<rdf:Description photoshop:Headline="...">`.
  if (qualifiedName === `${NS.rdf}Description`) {
    for (const [attribute, value] of Object.entries(attributes)) {
      const simple = attribute.includes(':') ? PROPERTIES[qualified(attribute, scope) ?? ''] : undefined;
      if (simple !== undefined && typeof value === 'string') keep(read, simple, [{ text: unescaped(value) }]);
    }
  }
  return true;
}

/** A value of a property, with its `xml:lang` when it has one (an rdf:Alt's items). */
interface Value {
  text: string;
  lang?: string;
}

function keep(read: XmpText, property: Property, values: Value[]): void {
  const texts = values.map((value) => value.text).filter((text) => text.trim() !== '');
  if (property === 'subject') read.subjects.push(...texts);
  else if (property === 'hierarchicalSubject') read.hierarchy.push(...texts.map((path) => path.split('|')));
  else read[property] ??= languageDefault(values);
}

/** An rdf:Alt's `x-default` item, else its first; a simple property's text. */
function languageDefault(values: Value[]): string | undefined {
  const written = values.filter((value) => value.text.trim() !== '');
  return (written.find((value) => value.lang?.toLowerCase() === 'x-default') ?? written[0])?.text;
}

/**
 * A property's values: the items of its rdf:Bag, rdf:Seq or rdf:Alt (`rdf:li`), or its own text when it has none.
 * At most MAX_VALUES.
 */
function valuesOf(children: unknown, scope: Scope): Value[] {
  if (!Array.isArray(children)) return [];
  const values: Value[] = [];
  for (const container of children as XmlNode[]) {
    const name = elementName(container);
    if (name === undefined) continue;
    const inner = withNamespaces(scope, attributesOf(container));
    for (const item of (Array.isArray(container[name]) ? container[name] : []) as XmlNode[]) {
      const itemName = elementName(item);
      if (itemName === undefined || qualified(itemName, inner) !== `${NS.rdf}li`) continue;
      const lang = attributesOf(item)['xml:lang'];
      values.push({ text: textOf(item[itemName]), ...(typeof lang === 'string' && { lang }) });
      if (values.length >= MAX_VALUES) return values;
    }
  }
  if (values.length > 0) return values;
  const own = textOf(children);
  return own === '' ? [] : [{ text: own }];
}

/** The text directly in an element: its text nodes (CDATA among them) joined. */
function textOf(children: unknown): string {
  if (!Array.isArray(children)) return '';
  const parts = (children as XmlNode[]).map((node) => node['#text']).filter((part) => typeof part === 'string');
  return unescaped(parts.join(''));
}

export function elementName(node: XmlNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text');
}

export function attributesOf(node: XmlNode): Record<string, unknown> {
  const attributes = node[':@'];
  return attributes !== null && typeof attributes === 'object' ? (attributes as Record<string, unknown>) : {};
}

/** The scope with the namespaces an element declares (`xmlns:dc="..."`; a default namespace as the prefix ''). */
export function withNamespaces(scope: Scope, attributes: Record<string, unknown>): Scope {
  let inner: Record<string, string> | undefined;
  for (const [attribute, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') continue;
    const prefix = attribute === 'xmlns' ? '' : attribute.startsWith('xmlns:') ? attribute.slice(6) : undefined;
    if (prefix === undefined) continue;
    inner ??= { ...scope };
    inner[prefix] = value;
  }
  return inner ?? scope;
}

/**
 * `dc:subject` as `http://purl.org/dc/elements/1.1/subject` (an element without a prefix in the default namespace);
 * undefined for a prefix not declared.
 */
export function qualified(name: string, scope: Scope): string | undefined {
  const colon = name.indexOf(':');
  const namespace = scope[colon < 0 ? '' : name.slice(0, colon)];
  return namespace === undefined ? undefined : namespace + name.slice(colon + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five named entities and character references, the only ones a packet's text is read with. */
export function unescaped(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}
