import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MAX_QUERIES, type SearchFilters, searchImages } from '../../../lambdas/search/image-search';
import { matches, phaseOf, SURE, WEAK } from '../../../lambdas/search/posting-match';
import { type Posting, postingKey } from '../../../lambdas/search/postings-design';
import { requiredTerms, wordClauses } from '../../../lambdas/search/query-clauses';
import { imageIds } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };

/** The search table holding these images' postings (each with all its terms as facets), answering as DynamoDB. */
function table(
  images: Array<{
    imageId: string;
    terms: string[];
    faces?: number;
    takenAt?: string;
    scores?: Record<string, number>;
    filename?: string;
  }>,
) {
  const postings: Posting[] = images.flatMap(({ imageId, terms, faces, takenAt, scores, filename }) =>
    ['all', ...terms].map((term) => ({
      term: postingKey('alice', term, imageId),
      imageId,
      // As postingOf makes them: no prefixes, sure or likely.
      facets: ['all', ...terms].filter((one) => !/^(likely\d:)?prefix=/.test(one)),
      faces,
      takenAt,
      ...(scores && { scores }),
      ...(filename && { summary: { status: 'PROCESSED', createdAt: '', updatedAt: '', filename } }),
    })),
  );
  dynamo.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const start = input.ExclusiveStartKey?.imageId as string | undefined;
    const found = postings
      .filter((p) => p.term === values[':pk'])
      .filter((p) => values[':older'] === undefined || p.imageId < (values[':older'] as string))
      .filter((p) => start === undefined || p.imageId < start)
      .sort((a, b) => (a.imageId < b.imageId ? 1 : -1));
    const page = found.slice(0, input.Limit);
    const more = found.length > page.length;
    if (input.Select === 'COUNT') return { Count: page.length, ScannedCount: page.length };
    return { Items: page, LastEvaluatedKey: more ? { term: values[':pk'], imageId: page.at(-1)?.imageId } : undefined };
  });
}

describe('searchImages', () => {
  beforeEach(() => dynamo.reset());

  it('turns the filters into required terms, every image when there is none', () => {
    expect(requiredTerms({ ...none, label: ['cat'], text: ['hello'], color: 'red', flagged: false })).toEqual([
      'label=cat',
      'word=hello',
      'color=red',
      'flagged=false',
    ]);
    expect(requiredTerms(none)).toEqual(['all']);
  });

  it('checks the other terms, faces and the date from the posting itself', () => {
    const posting = {
      term: 'x',
      imageId: 'i',
      facets: ['label=cat', 'color=red'],
      faces: 2,
      takenAt: '2024-05-01T10:00:00',
    };
    expect(matches(posting, ['label=cat', 'color=red'], none)).toBe(true);
    expect(matches(posting, ['label=dog'], none)).toBe(false);
    expect(matches(posting, [], { ...none, minFaces: 3 })).toBe(false);
    expect(
      matches(posting, [], { ...none, takenAfter: '2024-05-01T00:00:00', takenBefore: '2024-05-01T23:59:59' }),
    ).toBe(true);
    expect(matches({ ...posting, takenAt: undefined }, [], { ...none, takenAfter: '2000-01-01T00:00:00' })).toBe(false);
  });

  it('pages newest first through every match of two filters, exactly, driving by the rarer term', async () => {
    const ids = imageIds(300);
    // Every 3rd image is a cat, every 50th red: red is the rarer term, and red cats are every 150th.
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [...(i % 3 ? [] : ['label=cat']), ...(i % 50 ? [] : ['color=red'])],
      })),
    );
    const filters = { ...none, label: ['cat'], color: 'red' as const };
    const seen: string[] = [];
    let cursor: string | undefined;
    let read = 0;
    let pages = 0;
    do {
      pages += 1;
      const page = await searchImages(client, 'search', { owner: 'alice', filters, limit: 1, cursor });
      seen.push(...page.items.map((p) => p.imageId));
      read += page.read;
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(ids.filter((_, i) => i % 150 === 0).reverse());
    const keys = dynamo
      .commandCalls(QueryCommand)
      .map((call) => String(call.args[0].input.ExpressionAttributeValues?.[':pk']));
    // Cats only ever probed (shard 0, once a page); the pages read from red's lists. Then, past the sure cats, the
    // likely ones, band by band (none here).
    const sureCats = keys.filter((key) => key.includes('#label=cat'));
    expect(new Set(sureCats)).toEqual(new Set(['alice#label=cat#0']));
    expect(sureCats.length).toBeLessThanOrEqual(pages);
    expect(keys.filter((key) => key.includes('label=cat') && !sureCats.includes(key))).not.toHaveLength(0);
    expect(keys.every((key) => /^alice#((label=cat|color=red)#\d|likely\d:label=cat)$/.test(key))).toBe(true);
    expect(new Set(keys.filter((key) => key.includes('color=red')))).toEqual(
      new Set([0, 1, 2, 3].map((shard) => `alice#color=red#${shard}`)),
    );
    // 6 red images in all, the probes and the shards' first reads: far from the 300 a scan would read.
    expect(read).toBeLessThan(80);
  });

  it('reads little beyond what a page returns, however many images the term has', async () => {
    const ids = imageIds(2000);
    table(ids.map((imageId) => ({ imageId, terms: ['format=jpeg'] })));
    const page = await searchImages(client, 'search', {
      owner: 'alice',
      filters: { ...none, format: 'jpeg' },
      limit: 20,
    });
    expect(page.items.map((p) => p.imageId)).toEqual(ids.slice(-20).reverse());
    expect(page.cursor).toEqual(expect.any(String));
    // The bound: the matches returned and twice the page size.
    expect(page.read).toBeLessThanOrEqual(20 + 2 * 20);
  });

  it('ends a page short rather than read past its allowance, and the cursors still find every match', async () => {
    const ids = imageIds(1000);
    // Cats and red images are both common but meet on every 100th image only: any page would read ~100 per match,
    // ten times its allowance.
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: i % 100 === 0 ? ['label=cat', 'color=red'] : i % 2 ? ['label=cat'] : ['color=red'],
      })),
    );
    const filters = { ...none, label: ['cat'], color: 'red' as const };
    const found: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchImages(client, 'search', { owner: 'alice', filters, limit: 5, cursor });
      expect(page.read).toBeLessThanOrEqual(page.items.length + 2 * 5);
      found.push(...page.items.map((p) => p.imageId));
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 2000);
    expect(cursor).toBeUndefined();
    expect(found).toEqual(ids.filter((_, i) => i % 100 === 0).reverse());
    // Short pages, even empty ones, carried the search on.
    expect(pages).toBeGreaterThan(found.length / 5);
  });

  it('reads at most the matches and twice the page for two filters that half of the rarer one pass', async () => {
    const ids = imageIds(4000);
    // Every 4th image red, every 8th a red cat; cats are common (every 2nd).
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [...(i % 2 ? [] : ['label=cat']), ...(i % 4 ? [] : ['color=red'])].filter(
          (term) => term !== 'label=cat' || i % 4 !== 0 || i % 8 === 0,
        ),
      })),
    );
    const page = await searchImages(client, 'search', {
      owner: 'alice',
      filters: { ...none, label: ['cat'], color: 'red' },
      limit: 20,
    });
    expect(page.items.map((p) => p.imageId)).toEqual(
      ids
        .filter((_, i) => i % 8 === 0)
        .slice(-20)
        .reverse(),
    );
    expect(page.read).toBeLessThanOrEqual(20 + 2 * 20);
  });

  it('drives minFaces by its face bucket, and a date range by the years it spans', async () => {
    const ids = imageIds(400);
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [...(i % 40 ? [] : ['faces>=1', 'faces>=2', 'faces>=3']), `taken=${2000 + (i % 20)}`],
        faces: i % 40 ? 0 : 4,
        takenAt: `${2000 + (i % 20)}-06-01T12:00:00`,
      })),
    );
    const faces = await searchImages(client, 'search', {
      owner: 'alice',
      filters: { ...none, minFaces: 4 },
      limit: 20,
    });
    expect(faces.items).toHaveLength(10);
    expect(faces.read).toBeLessThanOrEqual(10 + 2 * 20);
    const years = await searchImages(client, 'search', {
      owner: 'alice',
      filters: { ...none, takenAfter: '2003-01-01T00:00:00', takenBefore: '2004-12-31T23:59:59' },
      limit: 100,
    });
    expect(years.items).toHaveLength(40);
    expect(years.read).toBeLessThanOrEqual(40 + 2 * 20);
  });

  it('checks each word of q against the words a posting carries: a prefix, two letters whole, or a named person', () => {
    const posting = {
      term: 'x',
      imageId: 'i',
      facets: ['label=coffee cup', 'word=aux', 'tag=zoo trip', 'person=p1', 'color=red'],
      summary: { status: 'PROCESSED', createdAt: '', updatedAt: '', filename: 'Pier-2.jpg' },
    };
    const q = (...words: string[]) => ({ ...none, q: words });
    expect(matches(posting, [], q('cof'))).toBe(true);
    expect(matches(posting, [], q('coffee', 'pier', 'trip'))).toBe(true);
    expect(matches(posting, [], q('cof', 'tea'))).toBe(false);
    // Two letters find only a word of two letters: "au" is not "aux"; "cu" is not "cup".
    expect(matches(posting, [], q('au'))).toBe(false);
    expect(matches(posting, [], q('cu'))).toBe(false);
    // A word of its text finds it after every likely match (a sign is not what the photo shows).
    expect(phaseOf({ ...posting, facets: [...posting.facets, 'word=au'] }, [], q('au'))?.phase).toBe(WEAK);
    // A name's word finds the images of the people it names, and of no one else.
    expect(matches(posting, [], q('ada'), { ada: ['p1'] })).toBe(true);
    expect(matches(posting, [], q('ada'), { ada: ['p2'] })).toBe(false);
    // The words' clauses come with the other filters' terms.
    expect(matches(posting, [['color=red']], q('zoo'))).toBe(true);
    expect(matches(posting, [['color=blue']], q('zoo'))).toBe(false);
    expect(wordClauses(q('coffee', 'ada'), { ada: ['p1', 'p0'] })).toEqual([
      ['prefix=cof'],
      ['prefix=ada', 'person=p1', 'person=p0'],
    ]);
  });

  it('pages a q= search newest first through the words, driving by the rarer word', async () => {
    const ids = imageIds(60);
    // Every 2nd image says "dog", every 3rd "doughnut" (prefix=dou), every 10th "dogma" (prefix=dog too).
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [
          ...(i % 2 ? [] : ['label=dog', 'prefix=dog']),
          ...(i % 3 ? [] : ['label=doughnut', 'prefix=dou']),
          ...(i % 10 ? [] : ['word=dogma', 'prefix=dog']),
        ],
      })),
    );
    const all = async (words: string[]) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchImages(client, 'search', {
          owner: 'alice',
          filters: { ...none, q: words },
          limit: 7,
          cursor,
        });
        seen.push(...page.items.map((p) => p.imageId));
        cursor = page.cursor;
      } while (cursor);
      return seen;
    };
    const newest = (keep: (i: number) => boolean) => ids.filter((_, i) => keep(i)).reverse();
    expect(await all(['dog'])).toEqual(newest((i) => i % 2 === 0 || i % 10 === 0));
    expect(await all(['dogm'])).toEqual(newest((i) => i % 10 === 0));
    expect(await all(['doug'])).toEqual(newest((i) => i % 3 === 0));
    expect(await all(['dog', 'dough'])).toEqual(newest((i) => i % 6 === 0));
    expect(await all(['cat'])).toEqual([]);
    // Only prefix postings are read, sure then likely: never `all`.
    const keys = dynamo
      .commandCalls(QueryCommand)
      .map((call) => String(call.args[0].input.ExpressionAttributeValues?.[':pk']));
    expect(keys.every((key) => /^alice#(likely\d:)?prefix=/.test(key))).toBe(true);
  });

  it('lists the images a word meets only in their text after the sure ones, and reads no such phase if none', async () => {
    const ids = imageIds(40);
    // Every 4th image shows a dog; every 5th has "dogged" in its text (every 20th both: a sure match).
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [...(i % 4 ? [] : ['label=dog', 'prefix=dog']), ...(i % 5 ? [] : ['word=dogged', 'prefix=dog'])],
      })),
    );
    const pages = async (words: string[]) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await searchImages(
          client,
          'search',
          { owner: 'alice', filters: { ...none, q: words }, limit: 4, cursor },
          [],
        );
        seen.push(page.items.map((p) => p.imageId));
        cursor = page.cursor;
      } while (cursor);
      return seen;
    };
    const newest = (keep: (i: number) => boolean) => ids.filter((_, i) => keep(i)).reverse();
    expect((await pages(['dog'])).flat()).toEqual([
      ...newest((i) => i % 4 === 0),
      ...newest((i) => i % 5 === 0 && i % 4 !== 0),
    ]);
    // Sure everywhere: the pages end with the sure matches, and no list is read again from its newest posting for
    // images met only in their text.
    table(ids.map((imageId, i) => ({ imageId, terms: i % 4 ? [] : ['label=dog', 'prefix=dog'] })));
    dynamo.resetHistory();
    expect((await pages(['dog'])).flat()).toEqual(newest((i) => i % 4 === 0));
    const fromTheTop = dynamo
      .commandCalls(QueryCommand)
      .filter(({ args: [{ input }] }) => !input.ExclusiveStartKey && !input.ExpressionAttributeValues?.[':older'])
      .map((call) => String(call.args[0].input.ExpressionAttributeValues?.[':pk']));
    expect(fromTheTop.sort()).toEqual([0, 1, 2, 3].map((shard) => `alice#prefix=dog#${shard}`));
  });

  it('makes at most MAX_QUERIES Query calls a page, whatever its words and the people they name', async () => {
    const ids = imageIds(400);
    // Ten words, each the name of ten people (110 terms in all): every 7th image has the word "sea" in it, every
    // 11th one of the people named by every word.
    const words = ['sea', 'sun', 'sky', 'sand', 'salt', 'surf', 'shell', 'shore', 'summer', 'swim'];
    const named = Object.fromEntries(
      words.map((word, w) => [word, Array.from({ length: 10 }, (_, p) => `p${w}x${p}`)]),
    );
    table(
      ids.map((imageId, i) => ({
        imageId,
        terms: [
          ...(i % 7 ? [] : ['word=sea', 'prefix=sea']),
          ...(i % 11 ? [] : words.map((_, w) => `person=p${w}x${i % 10}`)),
        ],
      })),
    );
    const found: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      dynamo.resetHistory();
      const page = await searchImages(client, 'search', {
        owner: 'alice',
        filters: { ...none, q: words },
        named,
        limit: 20,
        cursor,
      });
      expect(dynamo.commandCalls(QueryCommand).length).toBeLessThanOrEqual(MAX_QUERIES);
      expect(page.queries).toBe(dynamo.commandCalls(QueryCommand).length);
      found.push(...page.items.map((p) => p.imageId));
      cursor = page.cursor;
      pages++;
    } while (cursor !== undefined && pages < 100);
    expect(cursor).toBeUndefined();
    // Every word finds the people it names on every 11th image; "sea" alone (every 7th) lacks the other nine.
    expect(found).toEqual(ids.filter((_, i) => i % 11 === 0).reverse());
  });

  it('refuses (400) a search whose every clause stands for more terms than fit its Query calls, reading nothing', async () => {
    table(imageIds(10).map((imageId) => ({ imageId, terms: ['person=p0'] })));
    const merged = Array.from({ length: 100 }, (_, i) => `p${i}`);
    const filters = { ...none, person: 'p0' };
    await expect(
      searchImages(client, 'search', { owner: 'alice', filters, personIds: merged, limit: 20 }),
    ).rejects.toMatchObject({
      name: 'BadRequestError',
      statusCode: 400,
      message: expect.stringContaining('too broad'),
    });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
    // Beside a narrower filter, that filter drives and the person is checked on each posting.
    const page = await searchImages(client, 'search', {
      owner: 'alice',
      filters: { ...filters, format: 'jpeg' },
      personIds: merged,
      limit: 20,
    });
    expect(page.queries).toBeLessThanOrEqual(MAX_QUERIES);
  });

  it('refuses a cursor made for another owner or other filters', async () => {
    const ids = imageIds(5);
    table(ids.map((imageId) => ({ imageId, terms: ['format=jpeg'] })));
    const filters: SearchFilters = { ...none, format: 'jpeg' };
    const { cursor } = await searchImages(client, 'search', { owner: 'alice', filters, limit: 1 });
    await expect(
      searchImages(client, 'search', { owner: 'alice', filters: { ...filters, color: 'red' }, limit: 1, cursor }),
    ).rejects.toMatchObject({ name: 'InvalidCursorError' });
    await expect(searchImages(client, 'search', { owner: 'bob', filters, limit: 1, cursor })).rejects.toMatchObject({
      name: 'InvalidCursorError',
    });
  });
});

describe('searchImages: sure matches first, then likely ones by confidence', () => {
  beforeEach(() => dynamo.reset());

  /** A likely cat's terms, as terms.ts posts them: the object and its word's prefix, under the score's band. */
  const likelyCat = (score: number) => {
    const band = Math.floor(score * 10);
    return { terms: [`likely${band}:object=cat`, `likely${band}:prefix=cat`], scores: { 'object=cat': score } };
  };

  /**
   * 48 images, newest last: every 4th a sure cat (its object and prefix), every 4th + 1 a likely cat at 0.76, every
   * 4th + 2 one at 0.56, every 4th + 3 no cat; every 8th also named `cat-*.jpg` beside a likely cat at 0.66 (a
   * sure match by its name, never listed again as likely).
   */
  function cats() {
    const ids = imageIds(48);
    table(
      ids.map((imageId, i) => {
        const kind = i % 4;
        const named =
          i % 8 === 3
            ? {
                filename: `cat-${i}.jpg`,
                ...likelyCat(0.66),
                terms: [...likelyCat(0.66).terms, 'prefix=cat', 'prefix=jpg'],
              }
            : undefined;
        if (named) return { imageId, ...named };
        if (kind === 0) return { imageId, terms: ['object=cat', 'prefix=cat'] };
        if (kind === 1) return { imageId, ...likelyCat(0.76) };
        if (kind === 2) return { imageId, ...likelyCat(0.56) };
        return { imageId, terms: ['object=dog', 'prefix=dog'] };
      }),
    );
    const newest = (keep: (i: number) => boolean) => ids.filter((_, i) => keep(i)).reverse();
    return {
      sure: newest((i) => i % 4 === 0),
      named: newest((i) => i % 8 === 3),
      likely7: newest((i) => i % 4 === 1),
      likely5: newest((i) => i % 4 === 2),
    };
  }

  async function pages(filters: SearchFilters, limit: number) {
    const seen: NonNullable<Awaited<ReturnType<typeof searchImages>>['items']> = [];
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await searchImages(client, 'search', { owner: 'alice', filters, limit, cursor });
      expect(page.queries).toBeLessThanOrEqual(MAX_QUERIES);
      seen.push(...page.items);
      cursor = page.cursor;
      count++;
    } while (cursor !== undefined && count < 100);
    expect(cursor).toBeUndefined();
    return seen;
  }

  it('pages object=cat through the sure cats newest first, then the likely ones band by band, each once', async () => {
    const { sure, likely7, likely5, named } = cats();
    const found = await pages({ ...none, object: ['cat'] }, 5);
    // The named ones are a likely cat at 0.66 to `object=`: band 6, between the two others.
    expect(found.map((hit) => hit.imageId)).toEqual([...sure, ...likely7, ...named, ...likely5]);
    expect(found[0]?.matchedBy).toEqual([{ asked: 'object', word: 'cat', field: 'object', value: 'cat' }]);
    expect(found.at(-1)?.matchedBy).toEqual([
      { asked: 'object', word: 'cat', field: 'object', value: 'cat', likely: true, score: 0.56 },
    ]);
  });

  it('lists an image a q= word finds surely (its filename) with the sure ones, never again as likely', async () => {
    const { sure, likely7, likely5, named } = cats();
    const surely = [...sure, ...named].sort().reverse();
    for (const limit of [1, 4, 20]) {
      const found = await pages({ ...none, q: ['cat'] }, limit);
      expect(found.map((hit) => hit.imageId)).toEqual([...surely, ...likely7, ...likely5]);
    }
    const found = await pages({ ...none, q: ['cat'] }, 20);
    expect(found.find((hit) => hit.imageId === named[0])?.matchedBy).toEqual([
      { asked: 'q', word: 'cat', field: 'filename', value: 'cat' },
    ]);
    expect(found.find((hit) => hit.imageId === likely7[0])?.matchedBy).toEqual([
      { asked: 'q', word: 'cat', field: 'object', value: 'cat', likely: true, score: 0.76 },
    ]);
  });

  it('lists an image in the band of its weakest word, and holds the Query allowance over every band', async () => {
    const ids = imageIds(6);
    table([
      // A sure cat and a likely dog at 0.62: band 6. A likely cat at 0.81 and a likely dog at 0.45: band 4.
      { imageId: ids[0] as string, terms: ['object=cat', 'prefix=cat', 'likely6:object=dog', 'likely6:prefix=dog'] },
      {
        imageId: ids[1] as string,
        terms: ['likely8:object=cat', 'likely8:prefix=cat', 'likely4:object=dog', 'likely4:prefix=dog'],
      },
      { imageId: ids[2] as string, terms: ['object=cat', 'prefix=cat', 'object=dog', 'prefix=dog'] },
      { imageId: ids[3] as string, terms: ['likely8:object=cat', 'likely8:prefix=cat'] },
    ]);
    const found = await pages({ ...none, q: ['cat', 'dog'] }, 1);
    expect(found.map((hit) => hit.imageId)).toEqual([ids[2], ids[0], ids[1]]);
  });

  it('tells the phase of a posting and why: a q= word in a place name is a sure match of the place', () => {
    const posting = {
      term: 'x',
      imageId: 'i',
      facets: ['place=cataluna', 'likely5:object=cat'],
      scores: { 'object=cat': 0.56 },
    };
    expect(phaseOf(posting, [], { ...none, q: ['cat'] })).toEqual({
      phase: SURE,
      matchedBy: [{ asked: 'q', word: 'cat', field: 'place', value: 'cataluna' }],
    });
    expect(phaseOf(posting, ['object=cat'], { ...none, object: ['cat'] })).toEqual({
      phase: 5,
      matchedBy: [{ asked: 'object', word: 'cat', field: 'object', value: 'cat', likely: true, score: 0.56 }],
    });
    expect(phaseOf(posting, ['label=cat'], { ...none, label: ['cat'] })).toBeUndefined();
    expect(matches(posting, ['object=cat'], { ...none, object: ['cat'] })).toBe(false);
  });
});
