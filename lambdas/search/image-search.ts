import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BadRequestError } from '../shared/errors';
import { isImageId } from '../store/keys';
import { decodeCursor, encodeCursor } from '../store/page-cursor';
import type { SearchFilters } from './filters';
import type { SearchHit, SearchPage, SearchQuery } from './index-port';
import { likelyBands } from './likely';
import { phaseOf, SURE, WEAK, wantedOf } from './posting-match';
import { type Posting, SEARCH_SHARDS, unsharded } from './postings-design';
import { hasDateBounds, requiredClauses, wordClauses } from './query-clauses';
import { readingOf } from './query-words';
import { EVERY_IMAGE_TERM, prefixOf } from './terms';
import { likelyTerm } from './vocabulary';

export type { SearchFilters } from './filters';

/** A page of the postings index: the postings themselves, and what the page cost. */
export interface PostingsPage extends SearchPage {
  items: (Posting & Pick<SearchHit, 'matchedBy'>)[];
  /** Postings read to answer (the probes included): what the query cost, for metrics and the bench. */
  read: number;
  /** Query calls made to answer (the probes included): at most MAX_QUERIES. */
  queries: number;
}

/**
 * The terms a likely phase reads, one per word and value (its band's `likely<b>:prefix=` or `likely<b>:object=`
 * term): an image listed in that band has one of them. None (no likely phases) without words or values, for a
 * status a vision candidate is never in, or when they are more than MAX_CLAUSE_TERMS (the search is then of the
 * sure matches alone: each band would cost more Query calls than a page has).
 */
export function likelyPhaseTerms(filters: SearchFilters, band: number): string[] {
  if (filters.status !== undefined && filters.status !== 'PROCESSED') return [];
  const terms = [
    ...new Set(
      wantedOf(filters).flatMap(({ asked, word }) => {
        if (asked !== 'q') return [likelyTerm(band, asked, word)];
        // Each form's prefix, and each class the word reaches as its label (an object is posted as a label too).
        const { forms, classes } = readingOf(word);
        return [
          ...forms.map((form) => likelyTerm(band, 'prefix', prefixOf(form))),
          ...classes.map((name) => likelyTerm(band, 'label', name)),
        ];
      }),
    ),
  ];
  return terms.length <= MAX_CLAUSE_TERMS ? terms : [];
}

/**
 * Where a page of a search resumes: a phase (SURE, a band or WEAK) and, within it, the last image looked at; and the
 * newest image the sure phase passed over as met only weakly, where the WEAK phase starts (none: no WEAK phase).
 */
interface Position {
  phase: number;
  after?: string;
  weakFrom?: string;
}

/**
 * A cursor's `last`: the image id alone in the sure phase (as before likely matches), `likely<b>:<id>` in a likely
 * band, `weak:<id>` in the WEAK phase; then `~<id>` once the sure phase has passed over an image met only weakly.
 */
function positionText({ phase, after, weakFrom }: Position): string {
  const at = phase === SURE ? (after as string) : `${phase === WEAK ? 'weak' : `likely${phase}`}:${after ?? ''}`;
  return weakFrom === undefined ? at : `${at}~${weakFrom}`;
}

const POSITION = /^(?:(?:likely(\d)|(weak)):)?([^~]*)(?:~(.+))?$/;

function positionOf(last: string): Position {
  const [, band, weak, after, weakFrom] = POSITION.exec(last) as RegExpExecArray;
  const phase = weak ? WEAK : band === undefined ? SURE : Number(band);
  return { phase, ...(after && { after }), ...(weakFrom && { weakFrom }) };
}

function isPosition(last: string): boolean {
  const parts = POSITION.exec(last);
  if (!parts) return false;
  const [, band, weak, after, weakFrom] = parts;
  const later = band !== undefined || weak !== undefined;
  return (
    (later ? after === '' || isImageId(after as string) : isImageId(after as string)) &&
    (weakFrom === undefined || isImageId(weakFrom))
  );
}

/** Postings the probe reads of each term's shard 0: enough to tell a dense term from a sparse one. */
const PROBE = 4;
/** The most postings one read of one list asks for: about one 4 KB read unit of postings. */
const MAX_CHUNK = 4;
/** Pages of postings a page may read beyond those it returns: `returned + 2 x limit` (see searchImages). */
export const READ_ALLOWANCE_PAGES = 2;
/**
 * Query calls a page's probe makes at most (one per term, shard 0): clauses past it are not probed and cannot
 * drive, only be checked on each posting, which costs nothing.
 */
export const MAX_PROBES = 16;
/**
 * Terms a clause may have and still drive a search (each is SEARCH_SHARDS lists, each read once at least): a word
 * and the people it names, a person and the ids merged into it not yet re-pointed, the years of a date range.
 */
export const MAX_CLAUSE_TERMS = 12;
/**
 * Query calls one page makes at most, whatever its words, people and filters: the probe and a first read of the
 * driving clause's lists fit (MAX_PROBES + SEARCH_SHARDS x MAX_CLAUSE_TERMS); past it the page ends with what it
 * has and a cursor, as past its postings allowance.
 */
export const MAX_QUERIES = MAX_PROBES + SEARCH_SHARDS * MAX_CLAUSE_TERMS;

/**
 * How many postings to ask one list for: the page's missing matches at the rate postings have matched so far,
 * shared by the lists being merged, so a page reads little beyond what it returns whatever the match rate. Before
 * anything is seen, a lone clause with no bounds to check matches at 1 (every posting of its term is a match), else
 * the estimate starts at 1/2 (Laplace's rule: (passed + 1) / (seen + 2)).
 */
export function chunkSize(missing: number, lists: number, rate: { seen: number; passed: number; certain: boolean }) {
  const estimate = rate.certain ? 1 : (rate.passed + 1) / (rate.seen + 2);
  return Math.min(MAX_CHUNK, Math.max(1, Math.ceil(missing / estimate / Math.max(1, lists))));
}

/** One (term, shard) posting list, read newest first a chunk at a time. */
interface Stream {
  key: string;
  /** Read from after this image id (a cursor's), else from the newest. */
  older?: string;
  buffer: Posting[];
  startKey?: Record<string, unknown>;
  done: boolean;
}

/**
 * The clauses that may drive a search, and the probes (shard 0 of each of their terms) that choose between them:
 * clauses of at most MAX_CLAUSE_TERMS terms, fewest terms first, while their terms not probed yet fit MAX_PROBES.
 * A term in several clauses (a person every word names) is one list, probed once. With one candidate nothing is
 * probed. None: a BadRequestError (400) saying what to change, rather than a search past MAX_QUERIES.
 */
export function drivingCandidates(driving: readonly (readonly string[])[]): {
  candidates: string[][];
  probed: string[];
} {
  const narrow = driving
    .map((clause) => [...new Set(clause)])
    .filter((clause) => clause.length <= MAX_CLAUSE_TERMS)
    .sort((a, b) => a.length - b.length);
  if (narrow.length === 0) {
    throw new BadRequestError(
      `the search is too broad: each of its words or filters stands for more than ${MAX_CLAUSE_TERMS} search ` +
        'terms (a word naming many people, or a person whose merges are still being filed); use another word or filter',
    );
  }
  if (narrow.length === 1) return { candidates: narrow, probed: [] };
  const probed = new Set<string>();
  const candidates: string[][] = [];
  for (const clause of narrow) {
    const fresh = clause.filter((term) => !probed.has(term));
    if (probed.size + fresh.length > MAX_PROBES) continue;
    for (const term of fresh) probed.add(term);
    candidates.push(clause);
  }
  return { candidates, probed: [...probed] };
}

/**
 * One page of an owner's images matching every filter, sure matches newest first, then likely ones band by band:
 * 1. the clauses required (requiredClauses) and the words' (wordClauses); of those narrow enough to drive
 *    (drivingCandidates), read the first chunk of shard 0 of each term, once per term, and drive by the sparsest:
 *    the clause whose chunks reach furthest back in time (or ran out) has the fewest postings per day uploaded, so
 *    the fewest are read to fill a page. Those chunks are kept for the merge;
 * 2. read the driving clause's posting lists (each term's SEARCH_SHARDS shards) newest first, each read asking for
 *    the page's missing matches at the match rate seen so far (chunkSize), merged lazily (the newest posting not yet
 *    taken is always at the head of some list's buffer), checking each against every other clause and word from the
 *    posting itself (phaseOf), keeping those every word and filter meets surely, until `limit` match or every list
 *    is done;
 * 3. then, with words or label/object values, each likely band from 9 down (likelyBands), driven by the band's
 *    terms of every word and value (likelyPhaseTerms), keeping the images whose weakest word or value is met in
 *    that band: an image is listed once, in the phase of its weakest match, so never twice across pages; then, if
 *    the sure phase passed over an image met only weakly (its text, camera or credits), the WEAK phase: the driving
 *    clause's lists again from the newest such image (a cursor carries it as `weakFrom`);
 * 4. stop at `limit` matches, or when the next read would pass `returned + READ_ALLOWANCE_PAGES x limit` postings
 *    or MAX_QUERIES Query calls over every phase (a page may then be short, even empty: two filters that seldom
 *    meet cost a few requests, never one unbounded one), and answer a cursor bound to the owner and the filters
 *    (the phase and the last posting looked at in it) while more may follow.
 * Never a Scan: every read is a Query on one key, at most MAX_QUERIES of them.
 */
export async function searchImages(
  client: DynamoDBDocumentClient,
  tableName: string,
  query: SearchQuery,
  bands: readonly number[] = likelyBands(),
): Promise<PostingsPage> {
  const clauses = requiredClauses(query.filters, query.personIds);
  const words = wordClauses(query.filters, query.named);
  // Each word is a clause of its own that can drive the search; `all` is none once there are words.
  const driving = words.length === 0 ? clauses : [...clauses.filter((c) => c[0] !== EVERY_IMAGE_TERM), ...words];
  const { candidates, probed } = drivingCandidates(driving);
  const fingerprint = fingerprintOf(query.owner, query.filters);
  const start: Position =
    query.cursor === undefined
      ? { phase: SURE }
      : positionOf(decodeCursor(query.cursor, { query: fingerprint }, isPosition));
  const explains = wantedOf(query.filters).length > 0;
  // The weak phase only with words (a label or object value is met by its class or not at all), and only once the
  // sure phase has passed over an image met only weakly: it reads the sure phase's lists again from that image.
  let weakFrom = start.weakFrom;
  const phases = [
    SURE,
    ...bands.filter((band) => likelyPhaseTerms(query.filters, band).length > 0),
    ...(words.length > 0 ? [WEAK] : []),
  ].filter((phase) => phase <= start.phase);
  let read = 0;
  let queries = 0;
  const items: PostingsPage['items'] = [];
  const refill = async (stream: Stream, limit: number) => {
    queries++;
    const { older } = stream;
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: older === undefined ? 'term = :pk' : 'term = :pk AND imageId < :older',
        ExpressionAttributeValues: older === undefined ? { ':pk': stream.key } : { ':pk': stream.key, ':older': older },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: stream.startKey,
      }),
    );
    read += Items.length;
    stream.buffer.push(...(Items as Posting[]));
    stream.startKey = LastEvaluatedKey;
    stream.done = LastEvaluatedKey === undefined;
  };
  const page = (at?: Position): PostingsPage =>
    at === undefined
      ? { items, read, queries }
      : {
          items,
          cursor: encodeCursor({ query: fingerprint }, positionText({ ...at, ...(weakFrom && { weakFrom }) })),
          read,
          queries,
        };

  // Whether the page has looked at a posting or finished a phase: from then on it may end on its allowance.
  let moved = false;
  for (const [index, phase] of phases.entries()) {
    if (phase === WEAK && weakFrom === undefined && start.phase !== WEAK) break;
    // Where the phase resumes; the WEAK phase otherwise starts at weakFrom, inclusive (no id lies between an id and
    // itself followed by U+0000).
    const resumed = phase === start.phase ? start.after : undefined;
    const older = resumed ?? (phase === WEAK && weakFrom !== undefined ? `${weakFrom}\u0000` : undefined);
    // One stream per list, shared by every clause that has its term.
    const lists = new Map<string, Stream>();
    const streamsOf = (clause: readonly string[]): Stream[] =>
      clause.flatMap((term) =>
        Array.from({ length: unsharded(term) ? 1 : SEARCH_SHARDS }, (_, shard) => {
          const key = unsharded(term) ? `${query.owner}#${term}` : `${query.owner}#${term}#${shard}`;
          const stream = lists.get(key) ?? { key, buffer: [], done: false, older };
          lists.set(key, stream);
          return stream;
        }),
      );
    let streams: Stream[];
    if (phase === SURE) {
      if (probed.length > 0) {
        // Shard 0 of every term of every candidate, once each: the probe. Small enough to leave the page's
        // allowance room for the first read of the driver's other shards.
        const share = Math.floor((READ_ALLOWANCE_PAGES * query.limit) / (probed.length + SEARCH_SHARDS - 1));
        const probes = probed.map((term) => streamsOf([term])[0] as Stream);
        await Promise.all(probes.map((probe) => refill(probe, Math.max(1, Math.min(PROBE, share)))));
      }
      streams = candidates.length > 1 ? sparsest(candidates.map(streamsOf)) : streamsOf(candidates[0] as string[]);
    } else if (phase === WEAK) {
      // The sure phase's lists again, for the images it passed over: driven by the narrowest clause, which every page
      // of the phase picks alike (no probe: its order must not depend on what a page read before).
      streams = streamsOf(candidates[0] as string[]);
      if (moved && queries + streams.length > MAX_QUERIES) return page({ phase });
    } else {
      streams = streamsOf(likelyPhaseTerms(query.filters, phase));
      // A band's first reads must fit the page's calls: else the next page starts it.
      if (moved && queries + streams.length > MAX_QUERIES) return page({ phase });
    }
    const rate = {
      seen: 0,
      passed: 0,
      certain:
        phase === SURE &&
        driving.length === 1 &&
        words.length === 0 &&
        query.filters.minFaces === undefined &&
        !hasDateBounds(query.filters),
    };
    // The last posting looked at: every newer one of the driving lists has been, so a cursor from it loses nothing.
    let lastSeen: string | undefined;
    while (items.length < query.limit) {
      // A list whose buffer ran dry may still hold the newest posting left: refill those first.
      const dry = streams.filter((stream) => stream.buffer.length === 0 && !stream.done);
      if (dry.length > 0) {
        // What a page may read: what it returns and READ_ALLOWANCE_PAGES pages (the probe included), in at most
        // MAX_QUERIES calls. Past either the page ends short with a cursor, as a DynamoDB Query with a filter does,
        // after at least one posting or phase (the probe and one read of each driving list always fit MAX_QUERIES).
        const allowance = Math.floor((items.length + READ_ALLOWANCE_PAGES * query.limit - read) / dry.length);
        const calls = queries + dry.length <= MAX_QUERIES;
        if ((allowance < 1 || !calls) && (lastSeen !== undefined || moved)) {
          return page({ phase, after: lastSeen ?? resumed });
        }
        const wanted = chunkSize(query.limit - items.length, streams.filter((stream) => !stream.done).length, rate);
        await Promise.all(dry.map((stream) => refill(stream, Math.max(1, Math.min(allowance, wanted)))));
        continue;
      }
      const heads = streams.filter((stream) => stream.buffer.length > 0);
      if (heads.length === 0) break;
      const newest = heads.reduce((a, b) => ((a.buffer[0]?.imageId ?? '') > (b.buffer[0]?.imageId ?? '') ? a : b));
      const posting = newest.buffer.shift() as Posting;
      // A clause of several terms (a person and those merged into it, a band's words) may list one image twice.
      if (posting.imageId === lastSeen) continue;
      lastSeen = posting.imageId;
      moved = true;
      rate.seen++;
      const found = phaseOf(posting, clauses, query.filters, query.named);
      if (phase === SURE && found?.phase === WEAK) weakFrom ??= posting.imageId;
      // An image is listed in the phase of its weakest match only: a sure one is never listed again as likely.
      if (found?.phase === phase) {
        rate.passed++;
        items.push(explains ? { ...posting, matchedBy: found.matchedBy } : posting);
      }
    }
    const more = streams.some((stream) => stream.buffer.length > 0 || !stream.done);
    const next = phases[index + 1];
    if (items.length >= query.limit) {
      if (more && lastSeen !== undefined) return page({ phase, after: lastSeen });
      return next === undefined || (next === WEAK && weakFrom === undefined) ? page() : page({ phase: next });
    }
    moved = true;
  }
  return page();
}

/**
 * The clause with the fewest postings per unit of time, from the probe of each term's shard 0: a term whose shard
 * ran out counts its postings; otherwise the oldest id its chunk reached (ULIDs sort by time) says how sparse it is.
 * A clause of several terms (years) is as dense as its densest term times their number, roughly.
 */
function sparsest(candidates: Stream[][]): Stream[] {
  const score = (streams: Stream[]) => {
    const probes = streams.filter((_, i) => i % SEARCH_SHARDS === 0);
    const exhausted = probes.every((probe) => probe.done);
    const found = probes.reduce((sum, probe) => sum + probe.buffer.length, 0);
    const reach = probes
      .filter((probe) => !probe.done)
      .map((probe) => probe.buffer.at(-1)?.imageId ?? '')
      .sort()
      .at(-1);
    // Exhausted clauses first, fewest postings first; then the one whose chunk reaches furthest back.
    return { exhausted, found, reach: reach ?? '' };
  };
  const scored = candidates.map((streams) => ({ streams, ...score(streams) }));
  scored.sort((a, b) =>
    a.exhausted !== b.exhausted
      ? a.exhausted
        ? -1
        : 1
      : a.exhausted
        ? a.found - b.found
        : a.reach < b.reach
          ? -1
          : a.reach > b.reach
            ? 1
            : 0,
  );
  return (scored[0] as (typeof scored)[number]).streams;
}

/** What a cursor is bound to: the owner and the filters, hashed (the cursor stays short and says nothing). */
function fingerprintOf(owner: string, filters: SearchFilters): string {
  // Spelled as before the filters took their parameters' names, so a cursor handed out then still works.
  const { label, object, text, status, q, tag, ...rest } = filters;
  const canonical = JSON.stringify({
    owner,
    ...rest,
    // Only when asked for, so a cursor from before these filters existed still works.
    ...(q.length > 0 && { q }),
    ...(tag.length > 0 && { tags: [...tag].sort() }),
    labels: [...label].sort(),
    objects: [...object].sort(),
    words: [...text].sort(),
    status,
  });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
