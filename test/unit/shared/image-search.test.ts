import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { matches, requiredTerms, type SearchFilters, searchImages } from '../../../lambdas/shared/image-search';
import { type Posting, postingKey } from '../../../lambdas/shared/search-index';
import { imageIds } from '../../support/items';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const none: SearchFilters = { labels: [], objects: [], words: [] };

/** The search table holding these images' postings (each with all its terms as facets), answering as DynamoDB. */
function table(images: Array<{ imageId: string; terms: string[]; faces?: number }>) {
  const postings: Posting[] = images.flatMap(({ imageId, terms, faces }) =>
    ['all', ...terms].map((term) => ({
      term: postingKey('alice', term, imageId),
      imageId,
      facets: ['all', ...terms],
      faces,
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
    expect(requiredTerms({ ...none, labels: ['cat'], words: ['hello'], color: 'red', flagged: false })).toEqual([
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
    const filters = { ...none, labels: ['cat'], color: 'red' as const };
    const seen: string[] = [];
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await searchImages(client, 'search', { owner: 'alice', filters, limit: 1, cursor });
      seen.push(...page.items.map((p) => p.imageId));
      read += page.read;
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(ids.filter((_, i) => i % 150 === 0).reverse());
    const driven = dynamo
      .commandCalls(QueryCommand)
      .map((call) => call.args[0].input)
      .filter((input) => input.Select !== 'COUNT');
    expect(
      new Set(driven.map((input) => String(input.ExpressionAttributeValues?.[':pk']).replace(/#\d+$/, ''))),
    ).toEqual(new Set(['alice#color=red']));
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
    expect(page.read).toBeLessThanOrEqual(20 + 2 * 20 + 16 * 4);
  });

  it('refuses a cursor made for another owner or other filters', async () => {
    const ids = imageIds(5);
    table(ids.map((imageId) => ({ imageId, terms: ['format=jpeg'] })));
    const filters = { ...none, format: 'jpeg' };
    const { cursor } = await searchImages(client, 'search', { owner: 'alice', filters, limit: 1 });
    await expect(
      searchImages(client, 'search', { owner: 'alice', filters: { ...filters, color: 'red' }, limit: 1, cursor }),
    ).rejects.toMatchObject({ name: 'InvalidCursorError' });
    await expect(searchImages(client, 'search', { owner: 'bob', filters, limit: 1, cursor })).rejects.toMatchObject({
      name: 'InvalidCursorError',
    });
  });
});
