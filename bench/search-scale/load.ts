/**
 * Writes the synthetic library into the emulator through the processor's own write path, image by image:
 * 1. `ImageStore.createPending`, as create-upload does;
 * 2. `withTerms` on the final item (its search terms), `ImageStore.finalise` with `eventPending`, `SearchIndex.upsert`
 *    (the postings, in BatchWriteItem calls of 25) and `ImageStore.clearEventPending`, as the
 *    processor's store, index and publish steps do (processor/steps/), minus the analysis itself, which the generator stands in for.
 * A few images are in flight at once (moto serves one request at a time per core it gets).
 * On the way, it keeps what the queries need to know about the library: each image's id, hash and terms, and the
 * heavy owner's postings in memory, the ground truth every search answer is checked against.
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { SearchIndex } from '../../lambdas/search/index-table';
import { withTerms } from '../../lambdas/search/postings';
import { postingKey } from '../../lambdas/search/postings-design';
import { searchWordsOf } from '../../lambdas/search/terms';
import type { ImageItem } from '../../lambdas/store/image-item';
import type { ImageStore } from '../../lambdas/store/image-store';
import { type Item, itemSize } from '../support/dynamodb';
import type { Library } from './corpus';
import { clientsFor } from './moto';

/** What the loader learnt about the library. */
export interface Catalogue {
  ids: string[];
  /** Perceptual hash of each PROCESSED image (undefined for the others). */
  phash: Array<string | undefined>;
  takenAt: Array<string | undefined>;
  faces: Uint8Array;
  /** Postings written per image. */
  postings: Uint16Array;
  /** For one owner: each term to the images under it, oldest first (upload order). */
  terms: Map<string, number[]>;
  /** Each image's filename: a posting's summary carries it, and a `q=` search checks its words. */
  filenames: Array<string | undefined>;
  /** For one owner: each word a `q=` search finds an image by (terms.ts `searchWordsOf`) to its images, oldest first. */
  words: Map<string, number[]>;
}

export interface LoadFigures {
  images: number;
  seconds: number;
  perSecond: number;
  postings: number;
  requests: number;
}

export interface LoadOptions {
  concurrency: number;
  /** Whose terms are kept in memory (the owner the searches run for). */
  owner: string;
  progress: (done: number, elapsedSeconds: number) => void;
}

function emptyCatalogue(n: number): Catalogue {
  return {
    ids: new Array(n),
    phash: new Array(n),
    takenAt: new Array(n),
    faces: new Uint8Array(n),
    postings: new Uint16Array(n),
    terms: new Map(),
    words: new Map(),
    filenames: new Array(n),
  };
}

/** Note what the queries need of one written item (its terms only for `owner`). */
function record(catalogue: Catalogue, index: number, item: ImageItem, owner: string): void {
  catalogue.ids[index] = item.imageId;
  const analysis = item.analysis?.status === 'PROCESSED' ? item.analysis : undefined;
  catalogue.phash[index] = analysis?.hashes.phash;
  catalogue.takenAt[index] = analysis?.metadata.exif?.takenAt;
  catalogue.faces[index] = item.vision?.faces.length ?? 0;
  catalogue.filenames[index] = item.filename;
  const terms = item.indexedTerms ?? [];
  catalogue.postings[index] = terms.length;
  if (item.owner !== owner) return;
  for (const term of terms) {
    const list = catalogue.terms.get(term);
    if (list) list.push(index);
    else catalogue.terms.set(term, [index]);
  }
  for (const word of searchWordsOf(terms, item.filename)) {
    const list = catalogue.words.get(word);
    if (list) list.push(index);
    else catalogue.words.set(word, [index]);
  }
}

/** The catalogue of a library without writing it anywhere (the records are what `withTerms` makes of them). */
export function catalogueOf(library: Library, owner: string): Catalogue {
  const catalogue = emptyCatalogue(library.plan.images);
  for (const image of library.images()) record(catalogue, image.index, withTerms(image.final, image.pending), owner);
  return catalogue;
}

export async function loadLibrary(
  library: Library,
  deps: { store: ImageStore; index: SearchIndex },
  options: LoadOptions,
  requestsSoFar: () => number,
): Promise<{ catalogue: Catalogue; figures: LoadFigures }> {
  const n = library.plan.images;
  const catalogue = emptyCatalogue(n);
  const images = library.images();
  const started = performance.now();
  const requestsBefore = requestsSoFar();
  let done = 0;
  const worker = async () => {
    for (let next = images.next(); !next.done; next = images.next()) {
      const image = next.value;
      await deps.store.createPending(image.pending);
      const item = withTerms(image.final, image.pending);
      const written = await deps.store.finalise({ ...item, eventPending: true });
      if (!written) throw new Error(`image ${image.index} (${item.imageId}): finalise wrote nothing`);
      await deps.index.upsert(item);
      await deps.store.clearEventPending(item.imageId, item.etag);
      record(catalogue, image.index, item, options.owner);
      done++;
      if (done % 5000 === 0) options.progress(done, (performance.now() - started) / 1000);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  let postings = 0;
  for (const count of catalogue.postings) postings += count;
  // The terms' lists are in completion order; upload order is what "oldest first" means.
  for (const list of catalogue.terms.values()) list.sort((a, b) => a - b);
  for (const list of catalogue.words.values()) list.sort((a, b) => a - b);
  return {
    catalogue,
    figures: { images: n, seconds, perSecond: n / seconds, postings, requests: requestsSoFar() - requestsBefore },
  };
}

/** Sizes of a sample of real postings (read back with the low-level client, sized by DynamoDB's rules). */
export async function postingSizes(
  endpoint: string,
  table: string,
  library: Library,
  ids: string[],
): Promise<number[]> {
  const { dynamodb } = clientsFor(endpoint);
  const sizes: number[] = [];
  for (let index = 0; index < ids.length; index += Math.max(1, Math.floor(ids.length / 400))) {
    const imageId = ids[index] as string;
    const key = { term: { S: postingKey(library.ownerOf(index), 'all', imageId) }, imageId: { S: imageId } };
    const { Item: posting } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: key }));
    if (posting) sizes.push(itemSize(posting as Item));
  }
  return sizes.sort((a, b) => a - b);
}
