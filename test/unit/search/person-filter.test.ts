import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { queryOf } from '../../../lambdas/images/functions/list-images/filters';
import { listImages } from '../../../lambdas/images/functions/list-images/list-images';
import { ListQuerySchema } from '../../../lambdas/images/functions/list-images/route';
import { type SearchFilters, searchImages } from '../../../lambdas/search/image-search';
import type { SearchQuery } from '../../../lambdas/search/index-port';
import { type Posting, postingKey } from '../../../lambdas/search/postings-design';
import { requiredClauses } from '../../../lambdas/search/query-clauses';
import { termsOf } from '../../../lambdas/search/terms';
import { TEST_USER } from '../../support/api-events';
import { imageIds, imageItem } from '../../support/items';
import { descriptorOf, PeopleFake } from '../../support/people-fake';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const none: SearchFilters = { label: [], object: [], text: [], q: [], tag: [], place: [] };
const skipped = { tooSmall: 0, overCap: 0 };

/** The search table holding these images' postings (each with all its terms as facets), answering as DynamoDB. */
function table(images: Array<{ imageId: string; terms: string[] }>) {
  const postings: Posting[] = images.flatMap(({ imageId, terms }) =>
    ['all', ...terms].map((term) => ({ term: postingKey('alice', term, imageId), imageId, facets: ['all', ...terms] })),
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
    return { Items: page, LastEvaluatedKey: more ? { term: values[':pk'], imageId: page.at(-1)?.imageId } : undefined };
  });
}

describe('the person search term', () => {
  it('posts a processed image under each person its faces joined, once each', () => {
    const people = {
      faces: [
        { face: 0, personId: 'ada' },
        { face: 1, personId: 'bob' },
        { face: 3, personId: 'ada' },
      ],
      skipped,
    };
    const { terms } = termsOf(imageItem({ people }));
    expect(terms.filter((term) => term.startsWith('person='))).toEqual(['person=ada', 'person=bob']);
    expect(termsOf(imageItem()).terms.filter((term) => term.startsWith('person='))).toEqual([]);
    const failed = termsOf(imageItem({ status: 'FAILED', people }));
    expect(failed.terms.filter((term) => term.startsWith('person='))).toEqual([]);
  });

  it('reads a person as a choice of its id and those merged into it, beside the other filters', () => {
    const filters = { ...none, label: ['cat'], person: 'ada' };
    expect(requiredClauses(filters, ['ada', 'bob'])).toEqual([['label=cat'], ['person=ada', 'person=bob']]);
    expect(requiredClauses(filters)).toEqual([['label=cat'], ['person=ada']]);
    expect(requiredClauses({ ...none, person: 'ada' }, [])).toEqual([['person=ada']]);
  });
});

describe('searchImages with a person', () => {
  beforeEach(() => dynamo.reset());

  it("finds the person's images and those of the people merged into it, each image once, newest first", async () => {
    const ids = imageIds(40).sort().reverse();
    table(
      ids.map((imageId, i) => {
        // Every 3rd image has Ada, every 5th Bob (merged into Ada), every 15th both: one result each.
        const terms = [...(i % 3 === 0 ? ['person=ada'] : []), ...(i % 5 === 0 ? ['person=bob'] : [])];
        return { imageId, terms };
      }),
    );
    const expected = ids.filter((_, i) => i % 3 === 0 || i % 5 === 0);
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const query: SearchQuery = {
        owner: 'alice',
        filters: { ...none, person: 'ada' },
        personIds: ['ada', 'bob'],
        limit: 5,
        cursor,
      };
      const page = await searchImages(client, 'search', query);
      found.push(...page.items.map((item) => item.imageId));
      cursor = page.cursor;
    } while (cursor);
    expect(found).toEqual(expected);
  });
});

describe('GET /images?person=', () => {
  async function page(query: Record<string, string>, people?: PeopleFake) {
    const asked: SearchQuery[] = [];
    const parsed = ListQuerySchema.parse(queryOf(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))));
    await listImages(
      parsed,
      { owner: TEST_USER.sub, admin: false },
      {
        store: {
          list: async () => ({ items: [] }),
          timeline: async () => ({ items: [] }),
          tiles: async () => new Map(),
          summaries: async () => new Map(),
          stacking: async () => new Map(),
        },
        search: async (search) => {
          asked.push(search);
          return { items: [], read: 0 };
        },
        links: { sign: async () => ({}), keysOf: () => ({}) },
        people,
      },
    );
    return asked;
  }

  it("reads the person's ids from the people store, under the caller's own people", async () => {
    const people = new PeopleFake();
    const face = (value: number) => ({
      faces: [{ face: 0, box: { left: 0, top: 0, width: 0.1, height: 0.1 }, descriptor: descriptorOf(value) }],
      skipped,
    });
    await people.groupFaces(TEST_USER.sub, '01JABCDEFGHJKMNPQRSTVWXYZA', face(0));
    await people.groupFaces(TEST_USER.sub, '01JABCDEFGHJKMNPQRSTVWXYZB', face(0.9));
    await people.merge(TEST_USER.sub, '01JABCDEFGHJKMNPQRSTVWXYZA00', ['01JABCDEFGHJKMNPQRSTVWXYZB00']);
    const [asked] = await page({ person: '01JABCDEFGHJKMNPQRSTVWXYZA00' }, people);
    expect(asked?.filters.person).toBe('01JABCDEFGHJKMNPQRSTVWXYZA00');
    expect(asked?.personIds).toEqual(['01JABCDEFGHJKMNPQRSTVWXYZA00', '01JABCDEFGHJKMNPQRSTVWXYZB00']);
    expect(people.calls.at(-1)).toMatchObject({ method: 'termsOf', owner: TEST_USER.sub });
  });

  it('answers an unknown (or deleted) person an empty page without searching, and with grouping off reads its own id', async () => {
    expect(await page({ person: 'nobody' }, new PeopleFake())).toEqual([]);
    const [off] = await page({ person: 'nobody' });
    expect(requiredClauses(off?.filters as SearchFilters, off?.personIds)).toEqual([['person=nobody']]);
    expect(off?.personIds).toBeUndefined();
  });

  it.each(['a-b', 'x'.repeat(65), 'ada lovelace'])('refuses the person %s naming the parameter', (person) => {
    const parsed = ListQuerySchema.safeParse({ person });
    expect(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
      'person: must be a person id (letters and digits, at most 64)',
    ]);
  });

  it('reads the postings of a merged person alone once re-pointed, and every merged id in the vectors', async () => {
    const people = new PeopleFake();
    const face = (value: number) => ({
      faces: [{ face: 0, box: { left: 0, top: 0, width: 0.1, height: 0.1 }, descriptor: descriptorOf(value) }],
      skipped,
    });
    const [ada, bob] = ['01JABCDEFGHJKMNPQRSTVWXYZA00', '01JABCDEFGHJKMNPQRSTVWXYZB00'];
    await people.groupFaces(TEST_USER.sub, '01JABCDEFGHJKMNPQRSTVWXYZA', face(0));
    await people.groupFaces(TEST_USER.sub, '01JABCDEFGHJKMNPQRSTVWXYZB', face(0.9));
    await people.merge(TEST_USER.sub, ada, [bob]);
    await people.repointMerged(TEST_USER.sub, ada, async () => true, { budget: 10 });
    const searched: SearchQuery[] = [];
    const vectors: Array<readonly string[] | undefined> = [];
    const parsed = ListQuerySchema.parse(queryOf({ q: ['beach'], person: [ada] }));
    await listImages(
      parsed,
      { owner: TEST_USER.sub, admin: false },
      {
        store: {
          list: async () => ({ items: [] }),
          timeline: async () => ({ items: [] }),
          tiles: async () => new Map(),
          summaries: async () => new Map(),
          stacking: async () => new Map(),
        },
        search: async (search) => {
          searched.push(search);
          return { items: [], read: 0 };
        },
        links: { sign: async () => ({}), keysOf: () => ({}) },
        people,
        meaning: {
          maxDistance: 0.8,
          nearest: async ({ personIds }) => {
            vectors.push(personIds);
            return [];
          },
        },
      },
    );
    expect(searched[0]?.personIds).toEqual([ada]);
    expect(searched[0]).not.toHaveProperty('vectorPersonIds');
    // A vector keeps the person ids its image was embedded with: the merged one too.
    expect(vectors).toEqual([[ada, bob]]);
  });
});
